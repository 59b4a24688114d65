/* test-net-rules.c: parsing and matching net-allow and net-deny
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-net-rules-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-test-common.h"

/* A destination for the matcher: "1.2.3.4" or "::1". */
typedef struct {
  struct sockaddr_storage storage;
  socklen_t               length;
} Dest;

static Dest
dest (const char *address,
      guint16     port)
{
  Dest d;

  memset (&d, 0, sizeof d);
  if (strchr (address, ':') != NULL)
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &d.storage;

      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons (port);
      g_assert_cmpint (inet_pton (AF_INET6, address, &in6->sin6_addr), ==, 1);
      d.length = sizeof *in6;
    }
  else
    {
      struct sockaddr_in *in = (struct sockaddr_in *) &d.storage;

      in->sin_family = AF_INET;
      in->sin_port = htons (port);
      g_assert_cmpint (inet_pton (AF_INET, address, &in->sin_addr), ==, 1);
      d.length = sizeof *in;
    }
  return d;
}

static SandlockNetRules *
rules_new (const char * const *allow,
           const char * const *deny)
{
  g_autoptr(GError) error = NULL;
  SandlockNetRules *rules = sandlock_net_rules_new (allow, deny, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rules);
  return rules;
}

/* Whether @rules allow @address:@port over @proto, and which rule said so
 * (NULL: none matched). */
static gboolean
allows (const SandlockNetRules  *rules,
        SandlockNetProto         proto,
        const char              *address,
        guint16                  port,
        const char             **rule)
{
  Dest d = dest (address, port);

  return sandlock_net_rules_allows (rules, proto, (const struct sockaddr *) &d.storage,
                                    d.length, rule);
}

static void
test_parse_good (void)
{
  static const struct {
    const char *entry;
    SandlockNetProto proto;
    int family;
    guint prefix;
    const char *hostname;
    guint16 low, high;
  } good[] = {
    /* The examples. */
    { "example.org:443", SANDLOCK_NET_TCP, AF_UNSPEC, 0, "example.org", 443, 443 },
    { "10.0.0.0/8:22", SANDLOCK_NET_TCP, AF_INET, 8, NULL, 22, 22 },
    { "[2001:db8::/32]:80", SANDLOCK_NET_TCP, AF_INET6, 32, NULL, 80, 80 },
    { "udp:192.0.2.53:53", SANDLOCK_NET_UDP, AF_INET, 32, NULL, 53, 53 },
    { "*:443", SANDLOCK_NET_TCP, AF_UNSPEC, 0, NULL, 443, 443 },
    /* Ranges, any port, the explicit tcp: prefix, edges. */
    { "tcp:127.0.0.1:8000-8080", SANDLOCK_NET_TCP, AF_INET, 32, NULL, 8000, 8080 },
    { "udp:*:*", SANDLOCK_NET_UDP, AF_UNSPEC, 0, NULL, 1, 65535 },
    { "0.0.0.0/0:1", SANDLOCK_NET_TCP, AF_INET, 0, NULL, 1, 1 },
    { "192.0.2.1/32:65535", SANDLOCK_NET_TCP, AF_INET, 32, NULL, 65535, 65535 },
    { "[::/0]:1-2", SANDLOCK_NET_TCP, AF_INET6, 0, NULL, 1, 2 },
    { "[::1]:53", SANDLOCK_NET_TCP, AF_INET6, 128, NULL, 53, 53 },
    { "[::1/128]:53", SANDLOCK_NET_TCP, AF_INET6, 128, NULL, 53, 53 },
    { "Example.ORG:80", SANDLOCK_NET_TCP, AF_UNSPEC, 0, "example.org", 80, 80 },
    { "localhost:0080", SANDLOCK_NET_TCP, AF_UNSPEC, 0, "localhost", 80, 80 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      SandlockNetRuleSpec spec;

      g_test_message ("%s", good[i].entry);
      g_assert_true (sandlock_parse_net_rule ("net-allow", good[i].entry, &spec, &error));
      g_assert_no_error (error);
      g_assert_cmpint (spec.proto, ==, good[i].proto);
      g_assert_cmpint (spec.family, ==, good[i].family);
      g_assert_cmpuint (spec.prefix, ==, good[i].prefix);
      g_assert_cmpstr (spec.hostname, ==, good[i].hostname);
      g_assert_cmpuint (spec.port_low, ==, good[i].low);
      g_assert_cmpuint (spec.port_high, ==, good[i].high);
      sandlock_net_rule_spec_clear (&spec);
    }
}

static void
test_parse_bad (void)
{
  static const struct { const char *entry; const char *message; } bad[] = {
    { "", "net-allow: Invalid rule '': the port is missing: write HOST:PORT" },
    { "example.org", "net-allow: Invalid rule 'example.org': the port is missing: write HOST:PORT" },
    { ":80", "net-allow: Invalid rule ':80': the host is missing: write HOST:PORT, or *:PORT for any" },
    { "10.0.0.0/8:", "net-allow: Invalid rule '10.0.0.0/8:': a port is missing (PORT, LOW-HIGH or *)" },
    { "10.0.0.0/8:0", "net-allow: Invalid rule '10.0.0.0/8:0': port 0 is not a port" },
    { "10.0.0.0/8:65536", "net-allow: Invalid rule '10.0.0.0/8:65536': ports go up to 65535" },
    { "10.0.0.0/8:90-80", "net-allow: Invalid rule '10.0.0.0/8:90-80': the port range is reversed" },
    { "10.0.0.0/8:http", "net-allow: Invalid rule '10.0.0.0/8:http': ports are decimal numbers (PORT, LOW-HIGH or *)" },
    { "10.0.0.1/8:22", "net-allow: Invalid rule '10.0.0.1/8:22': the address has bits set past its prefix length" },
    { "10.0.0.0/33:22", "net-allow: Invalid rule '10.0.0.0/33:22': an IPv4 prefix length is a number from 0 to 32" },
    { "10.0.0.0/:22", "net-allow: Invalid rule '10.0.0.0/:22': an IPv4 prefix length is a number from 0 to 32" },
    { "10.0.0/8:22", "net-allow: Invalid rule '10.0.0/8:22': not an IPv4 address" },
    { "256.1.1.1:22", "net-allow: Invalid rule '256.1.1.1:22': not an IPv4 address" },
    { "2001:db8::1:80", "net-allow: Invalid rule '2001:db8::1:80': IPv6 addresses go in brackets: [ADDRESS]:PORT" },
    { "[2001:db8::1:80", "net-allow: Invalid rule '[2001:db8::1:80': a ']' is missing after the IPv6 address" },
    { "[2001:db8::1]", "net-allow: Invalid rule '[2001:db8::1]': the port is missing: write [ADDRESS]:PORT" },
    { "[2001:db8::/129]:80", "net-allow: Invalid rule '[2001:db8::/129]:80': an IPv6 prefix length is a number from 0 to 128" },
    { "[2001:db8::1/32]:80", "net-allow: Invalid rule '[2001:db8::1/32]:80': the address has bits set past its prefix length" },
    { "[10.0.0.1]:80", "net-allow: Invalid rule '[10.0.0.1]:80': not an IPv6 address" },
    { "[::]/0:80", "net-allow: Invalid rule '[::]/0:80': the port is missing: write [ADDRESS]:PORT" },
    { "exa mple.org:80", "net-allow: Invalid rule 'exa mple.org:80': not an address, a prefix, a hostname or *" },
    { "-x.org:80", "net-allow: Invalid rule '-x.org:80': not an address, a prefix, a hostname or *" },
    { "sctp:1.2.3.4:80", "net-allow: Invalid rule 'sctp:1.2.3.4:80': IPv6 addresses go in brackets: [ADDRESS]:PORT" },
    { "udp:", "net-allow: Invalid rule 'udp:': the port is missing: write HOST:PORT" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      SandlockNetRuleSpec spec;

      g_test_message ("%s", bad[i].entry);
      g_assert_false (sandlock_parse_net_rule ("net-allow", bad[i].entry, &spec, &error));
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }
}

/* The builder reports a bad entry of either list, and names the list. */
static void
test_new_errors (void)
{
  static const char * const good[] = { "*:443", NULL };
  static const char * const bad[] = { "*:443", "1.2.3.4", NULL };
  static const char * const unknown[] = { "no-such-host.invalid:80", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (sandlock_net_rules_new (bad, NULL, NULL, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_true (g_str_has_prefix (error->message, "net-allow: Invalid rule '1.2.3.4'"));
  g_clear_error (&error);

  g_assert_null (sandlock_net_rules_new (good, bad, NULL, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_true (g_str_has_prefix (error->message, "net-deny: Invalid rule '1.2.3.4'"));
  g_clear_error (&error);

  /* .invalid never resolves (RFC 6761): fail closed, naming the host. */
  g_assert_null (sandlock_net_rules_new (good, unknown, NULL, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_true (g_str_has_prefix (error->message,
                                   "net-deny: Cannot resolve 'no-such-host.invalid' of rule"));
}

static void
test_empty (void)
{
  g_autoptr(SandlockNetRules) rules = rules_new (NULL, NULL);
  static const char * const empty[] = { NULL };
  g_autoptr(SandlockNetRules) rules2 = rules_new (empty, empty);
  const char *rule = "unset";

  g_assert_true (sandlock_net_rules_is_empty (NULL));
  g_assert_true (sandlock_net_rules_is_empty (rules));
  g_assert_true (sandlock_net_rules_is_empty (rules2));
  /* Nothing is allowed by no rule. */
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 80, &rule));
  g_assert_null (rule);
  g_assert_false (sandlock_net_rules_allows (NULL, SANDLOCK_NET_TCP, NULL, 0, NULL));
  g_assert_cmpstr (sandlock_net_rules_get_hosts_text (rules), ==, "");
}

static void
test_match_examples (void)
{
  static const char * const allow[] = {
    "10.0.0.0/8:22", "[2001:db8::/32]:80", "udp:192.0.2.53:53", "*:443", "127.0.0.1:8000-8080",
    NULL,
  };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, NULL);
  const char *rule = NULL;

  g_assert_false (sandlock_net_rules_is_empty (rules));

  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "10.0.0.0", 22, &rule));
  g_assert_cmpstr (rule, ==, "10.0.0.0/8:22");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "10.255.255.255", 22, &rule));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "11.0.0.0", 22, &rule));
  g_assert_null (rule);
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "9.255.255.255", 22, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "10.0.0.1", 23, NULL));
  /* TCP rules are not UDP rules, nor the reverse. */
  g_assert_false (allows (rules, SANDLOCK_NET_UDP, "10.0.0.1", 22, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_UDP, "192.0.2.53", 53, &rule));
  g_assert_cmpstr (rule, ==, "udp:192.0.2.53:53");
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "192.0.2.53", 53, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_UDP, "192.0.2.54", 53, NULL));

  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "2001:db8::", 80, &rule));
  g_assert_cmpstr (rule, ==, "[2001:db8::/32]:80");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "2001:db8:ffff:ffff::1", 80, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "2001:db9::", 80, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "2001:db8::", 81, NULL));

  /* Any address, both families. */
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "203.0.113.9", 443, &rule));
  g_assert_cmpstr (rule, ==, "*:443");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "fe80::1", 443, &rule));
  g_assert_false (allows (rules, SANDLOCK_NET_UDP, "203.0.113.9", 443, NULL));

  /* Range edges. */
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 7999, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 8000, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 8080, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 8081, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "127.0.0.2", 8000, NULL));
}

static void
test_match_prefix_edges (void)
{
  static const char * const allow[] = {
    "0.0.0.0/0:1", "192.0.2.7/32:2", "[::/0]:3", "[2001:db8::7/128]:4",
    "192.0.2.128/25:5", "[2001:db8::/127]:6", NULL,
  };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, NULL);

  /* /0 matches every address of its family, and only of its family. */
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "0.0.0.0", 1, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "255.255.255.255", 1, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "::1", 1, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "::", 3, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 3, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "1.2.3.4", 3, NULL));

  /* /32 and /128: one address. */
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "192.0.2.7", 2, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "192.0.2.6", 2, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "192.0.2.8", 2, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "2001:db8::7", 4, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "2001:db8::6", 4, NULL));

  /* Prefixes not on a byte boundary. */
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "192.0.2.128", 5, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "192.0.2.255", 5, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "192.0.2.127", 5, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "2001:db8::1", 6, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "2001:db8::2", 6, NULL));
}

/* An IPv6 socket reaches IPv4 addresses through v4-mapped ones: the IPv4
 * rules apply to them, the IPv6 rules do not. */
static void
test_match_v4_mapped (void)
{
  static const char * const allow[] = { "192.0.2.0/24:80", "[::ffff:0:0/96]:81", NULL };
  static const char * const deny[] = { "192.0.2.66:80", NULL };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, deny);
  const char *rule = NULL;

  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "::ffff:192.0.2.1", 80, &rule));
  g_assert_cmpstr (rule, ==, "192.0.2.0/24:80");
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "::ffff:192.0.3.1", 80, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "::ffff:192.0.2.66", 80, &rule));
  g_assert_cmpstr (rule, ==, "192.0.2.66:80");
  /* An IPv6 rule covering the mapped range does not grant IPv4. */
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "::ffff:192.0.2.1", 81, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "192.0.2.1", 81, NULL));
}

/* But one that denies does deny them: a net-deny entry written in the
 * IPv4-mapped form (or naming a host that resolves to one) must not be an
 * exception that matches nothing, whether the command connects to the
 * IPv4 address or to its mapped form. */
static void
test_match_v4_mapped_deny (void)
{
  static const char * const allow[] = { "*:*", "udp:*:*", NULL };
  static const char * const deny[] = {
    "[::ffff:10.0.0.0/104]:22", "[::ffff:192.0.2.1]:*", "udp:[::ffff:0:0/96]:53",
    "[::/1]:25", "[2001:db8::/32]:80", NULL,
  };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, deny);
  const char *rule = NULL;

  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "10.1.2.3", 22, &rule));
  g_assert_cmpstr (rule, ==, "[::ffff:10.0.0.0/104]:22");
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "::ffff:10.1.2.3", 22, &rule));
  g_assert_cmpstr (rule, ==, "[::ffff:10.0.0.0/104]:22");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "11.1.2.3", 22, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "10.1.2.3", 23, NULL));

  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "192.0.2.1", 443, &rule));
  g_assert_cmpstr (rule, ==, "[::ffff:192.0.2.1]:*");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "192.0.2.2", 443, NULL));

  g_assert_false (allows (rules, SANDLOCK_NET_UDP, "198.51.100.1", 53, &rule));
  g_assert_cmpstr (rule, ==, "udp:[::ffff:0:0/96]:53");
  g_assert_true (allows (rules, SANDLOCK_NET_UDP, "198.51.100.1", 54, NULL));

  /* A prefix shorter than 96 bits that holds the mapped range denies every
   * IPv4 address; one that does not, none. */
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "198.51.100.1", 25, &rule));
  g_assert_cmpstr (rule, ==, "[::/1]:25");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "198.51.100.1", 80, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "2001:db8::1", 80, NULL));
}

static void
test_match_deny_wins (void)
{
  static const char * const allow[] = { "10.0.0.0/8:1-65535", "udp:*:*", "[2001:db8::/32]:*", NULL };
  static const char * const deny[] = { "10.1.0.0/16:22", "udp:*:53", "[2001:db8::bad]:*", NULL };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, deny);
  const char *rule = NULL;

  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "10.1.0.1", 21, &rule));
  g_assert_cmpstr (rule, ==, "10.0.0.0/8:1-65535");
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "10.1.255.255", 22, &rule));
  g_assert_cmpstr (rule, ==, "10.1.0.0/16:22");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "10.2.0.1", 22, NULL));
  g_assert_true (allows (rules, SANDLOCK_NET_UDP, "198.51.100.1", 54, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_UDP, "198.51.100.1", 53, &rule));
  g_assert_cmpstr (rule, ==, "udp:*:53");
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "2001:db8::bad", 80, &rule));
  g_assert_cmpstr (rule, ==, "[2001:db8::bad]:*");
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "2001:db8::bae", 80, NULL));

  /* A deny list alone allows nothing: it only makes exceptions. */
  {
    g_autoptr(SandlockNetRules) only_deny = rules_new (NULL, deny);

    g_assert_false (sandlock_net_rules_is_empty (only_deny));
    g_assert_false (allows (only_deny, SANDLOCK_NET_TCP, "10.2.0.1", 22, &rule));
    g_assert_null (rule);
  }
}

/* Short, foreign or truncated addresses match nothing. */
static void
test_match_bad_addresses (void)
{
  static const char * const allow[] = { "*:*", "udp:*:*", NULL };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, NULL);
  Dest d4 = dest ("192.0.2.1", 80), d6 = dest ("2001:db8::1", 80);
  struct sockaddr_un { sa_family_t family; char path[108]; } un = { AF_UNIX, "/tmp/x" };

  g_assert_true (sandlock_net_rules_allows (rules, SANDLOCK_NET_TCP,
                                            (struct sockaddr *) &d4.storage, d4.length, NULL));
  g_assert_false (sandlock_net_rules_allows (rules, SANDLOCK_NET_TCP,
                                             (struct sockaddr *) &d4.storage, d4.length - 1, NULL));
  /* IPv6 without sin6_scope_id, as the kernel accepts it, and shorter. */
  g_assert_true (sandlock_net_rules_allows (rules, SANDLOCK_NET_TCP,
                                            (struct sockaddr *) &d6.storage, 24, NULL));
  g_assert_false (sandlock_net_rules_allows (rules, SANDLOCK_NET_TCP,
                                             (struct sockaddr *) &d6.storage, 23, NULL));
  g_assert_false (sandlock_net_rules_allows (rules, SANDLOCK_NET_UDP,
                                             (struct sockaddr *) &un, sizeof un, NULL));
}

/* Hostnames resolve when the rules are built, through the system's
 * resolver: localhost is in every /etc/hosts. */
static void
test_hostname (void)
{
  static const char * const allow[] = { "localhost:8080", NULL };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, NULL);
  const char *hosts = sandlock_net_rules_get_hosts_text (rules);
  const char *rule = NULL;

  g_test_message ("hosts: %s", hosts);
  g_assert_true (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 8080, &rule));
  g_assert_cmpstr (rule, ==, "localhost:8080");
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "127.0.0.1", 8081, NULL));
  g_assert_false (allows (rules, SANDLOCK_NET_TCP, "127.0.0.2", 8080, NULL));
  g_assert_nonnull (strstr (hosts, "127.0.0.1 localhost\n"));
}

static gboolean
collect_range (guint16    low,
               guint16    high,
               gpointer   user_data,
               GError   **error)
{
  g_string_append_printf (user_data, "%u-%u,", low, high);
  return TRUE;
}

/* The ports a TCP allow entry grants to Landlock's connect rules: UDP and
 * deny entries add none. */
static void
test_tcp_ports (void)
{
  static const char * const allow[] = { "*:443", "udp:*:53", "10.0.0.0/8:8000-8080", NULL };
  static const char * const deny[] = { "*:22", NULL };
  g_autoptr(SandlockNetRules) rules = rules_new (allow, deny);
  g_autoptr(GString) ranges = g_string_new (NULL);

  g_assert_true (sandlock_net_rules_foreach_tcp_allow_ports (rules, collect_range, ranges, NULL));
  g_assert_cmpstr (ranges->str, ==, "443-443,8000-8080,");
}

/* The properties reach the compiler: a malformed entry fails the spawn
 * with the parser's message, before anything starts. */
static void
test_sandbox_invalid (void)
{
  static const char * const bad[] = { "example.org", NULL };
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SandlockProcess) process = NULL;
  const char * const argv[] = { "/bin/true", NULL };

  sandlock_sandbox_set_net_deny (sandbox, bad);
  g_assert_cmpstr (sandlock_sandbox_get_net_deny (sandbox)[0], ==, "example.org");
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_null (process);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_cmpstr (error->message, ==,
                   "net-deny: Invalid rule 'example.org': the port is missing: write HOST:PORT");
}

/* ---- end to end: the command's own lookups -------------------------------- */

/* The addresses the supervisor gets for @name, sorted, as the probe's
 * "resolve" prints them. */
static int
compare_string_pointers (gconstpointer a,
                         gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char *
resolve_line (const char *name)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name (resolver, name, NULL, &error);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  GString *line = g_string_new (NULL);

  g_assert_no_error (error);
  for (GList *l = addresses; l != NULL; l = l->next)
    g_ptr_array_add (strings, g_inet_address_to_string (l->data));
  g_resolver_free_addresses (addresses);
  g_ptr_array_sort (strings, compare_string_pointers);
  g_string_append_printf (line, "resolve %s:", name);
  for (guint i = 0; i < strings->len; i++)
    if (i == 0 || g_strcmp0 (strings->pdata[i], strings->pdata[i - 1]) != 0)
      g_string_append_printf (line, " %s", (char *) strings->pdata[i]);
  return g_string_free (line, FALSE);
}

static SandlockSandbox *
lookup_sandbox_new (const char * const *allow)
{
  SandlockSandbox *sandbox = sandlock_test_sandbox_new ();

  /* The order of the lookup services, as on the machine; not /etc/hosts. */
  if (g_file_test ("/etc/nsswitch.conf", G_FILE_TEST_EXISTS))
    sandlock_test_grant (sandbox, "/etc/nsswitch.conf", FALSE);
  sandlock_sandbox_set_net_allow (sandbox, allow);
  return sandbox;
}

/* Asserts @output has the line "WHAT TO: ok". */
static void
assert_line_ok (const char *output,
                const char *what,
                const char *to)
{
  g_autofree char *line = g_strdup_printf ("%s %s: ok", what, to);

  sandlock_test_assert_line (output, line);
}

static char *
run_probe_output (SandlockSandbox *sandbox,
                  ...)
{
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  va_list args;

  va_start (args, sandbox);
  while ((command = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (commands, (char *) command);
  va_end (args);
  g_ptr_array_add (commands, NULL);

  result = sandlock_test_run_probev (sandbox, (const char * const *) commands->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_result_get_success (result));
  return sandlock_test_stdout (result);
}

/* Without /etc/hosts, the command cannot resolve localhost; with a rule
 * that names it, it gets what the supervisor resolved, from a synthetic
 * /etc/hosts that holds the rules' names and nothing of the real file. */
static void
test_hosts_synthetic (void)
{
  static const char * const allow[] = { "localhost:8080", NULL };
  g_autoptr(SandlockSandbox) control = lookup_sandbox_new (NULL);
  g_autoptr(SandlockSandbox) sandbox = lookup_sandbox_new (allow);
  g_autoptr(SandlockNetRules) rules = rules_new (allow, NULL);
  g_autofree char *expected_line = resolve_line ("localhost");
  g_autofree char *expected_cat = NULL;
  g_autofree char *output = NULL;

  output = run_probe_output (control, "resolve", "localhost", "cat", "/etc/hosts", NULL);
  g_test_message ("without a rule: %s", output);
  g_assert_cmpstr (output, ==, "resolve localhost: failed\ncat /etc/hosts: EACCES\n");
  g_clear_pointer (&output, g_free);

  output = run_probe_output (sandbox, "resolve", "localhost", "cat", "/etc/hosts",
                             "cat", "/etc/host.conf", NULL);
  g_test_message ("with a rule: %s", output);
  /* Every address of a name (one line each) needs "multi on". */
  expected_cat = g_strdup_printf ("%s\n"
                                  "cat /etc/hosts: # sandlock-glib: the hostnames of net-allow "
                                  "and net-deny, as resolved when the command started\n%s\n"
                                  "cat /etc/host.conf: # sandlock-glib: every address of a name "
                                  "in /etc/hosts\nmulti on\n\n",
                                  expected_line, sandlock_net_rules_get_hosts_text (rules));
  g_assert_cmpstr (output, ==, expected_cat);
}

/* When the command may read /etc/hosts, it gets the rules' names first,
 * then the real file. Other files are opened as usual. */
static void
test_hosts_with_real_file (void)
{
  static const char * const allow[] = { "udp:localhost:53", NULL };
  g_autoptr(SandlockSandbox) sandbox = lookup_sandbox_new (allow);
  g_autoptr(SandlockNetRules) rules = rules_new (allow, NULL);
  g_autofree char *real = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *output = NULL;

  g_assert_true (g_file_get_contents ("/etc/hosts", &real, NULL, NULL));
  sandlock_test_grant (sandbox, "/etc/hosts", FALSE);
  output = run_probe_output (sandbox, "cat", "/etc/hosts", "cat", "/etc/ld.so.cache", NULL);
  expected = g_strdup_printf ("cat /etc/hosts: # sandlock-glib: the hostnames of net-allow "
                              "and net-deny, as resolved when the command started\n%s"
                              "# /etc/hosts\n%s%s\n",
                              sandlock_net_rules_get_hosts_text (rules), real,
                              g_str_has_suffix (real, "\n") ? "" : "\n");
  g_assert_true (g_str_has_prefix (output, expected));
  /* ld.so.cache is binary: its line only has to be there. */
  g_assert_nonnull (strstr (output + strlen (expected), "cat /etc/ld.so.cache: "));
}

/* ---- end to end: the egress rules ------------------------------------------ */

/* The egress rules are enforced by a guard on connect() and sendto() that
 * another part of issue 14 adds (branch netA). Whether this build has it
 * is read from the compiled policy: a guard attached to connect() and
 * sendto() when net-allow is set. Without it these tests say so. */
static gboolean
egress_guard_present (void)
{
  static const char * const allow[] = { "127.0.0.1:9", NULL };
  SandlockPolicySpec spec = { .net_allow = allow, .best_effort = TRUE };
  g_autoptr(SandlockPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = sandlock_policy_compile (&spec, &error);
  g_assert_no_error (error);
  return sandlock_policy_get_guards (policy, __NR_connect) != NULL &&
         sandlock_policy_get_guards (policy, __NR_sendto) != NULL;
}


/* A TCP server on every address of the loopback: 127.0.0.1 and 127.0.0.2
 * both reach it, so only the rules tell them apart. */
static int
listen_any (guint16 *port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (listen (fd, 16));
  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &length));
  *port = ntohs (addr.sin_port);
  return fd;
}

static void
assert_refused (const char *output,
                const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  for (gsize i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        g_assert_false (g_str_has_suffix (lines[i], ": ok"));
        return;
      }
  g_error ("No line \"%s...\" in:\n%s", prefix, output);
}

static void
test_egress_tcp (void)
{
  guint16 port;
  int server;
  g_autofree char *to_1 = NULL;
  g_autofree char *to_2 = NULL;
  g_autofree char *prefix_2 = NULL;
  g_autofree char *output = NULL;

  g_assert_true (egress_guard_present ());
  server = listen_any (&port);
  to_1 = g_strdup_printf ("127.0.0.1:%u", port);
  to_2 = g_strdup_printf ("127.0.0.2:%u", port);
  prefix_2 = g_strdup_printf ("tcp-connect %s: ", to_2);

  {
    g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
    const char * const allow[] = { to_1, NULL };

    sandlock_sandbox_set_net_allow (sandbox, allow);
    output = run_probe_output (sandbox, "tcp-connect", to_1, "tcp-connect", to_2, NULL);
    g_test_message ("%s", output);
    assert_line_ok (output, "tcp-connect", to_1);
    assert_refused (output, prefix_2);
    g_clear_pointer (&output, g_free);
  }
  {
    /* A deny entry makes an exception inside an allowed prefix. */
    g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
    g_autofree char *prefix = g_strdup_printf ("127.0.0.0/8:%u", port);
    const char * const allow[] = { prefix, NULL };
    const char * const deny[] = { to_2, NULL };

    sandlock_sandbox_set_net_allow (sandbox, allow);
    sandlock_sandbox_set_net_deny (sandbox, deny);
    output = run_probe_output (sandbox, "tcp-connect", to_1, "tcp-connect", to_2, NULL);
    g_test_message ("%s", output);
    assert_line_ok (output, "tcp-connect", to_1);
    assert_refused (output, prefix_2);
  }
  close (server);
}

/* A UDP responder: answers every datagram until @stop_fd is readable. */
typedef struct {
  int fd;
  int stop_fd;
} Responder;

static gpointer
respond (gpointer data)
{
  Responder *responder = data;

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = responder->fd, .events = POLLIN },
        { .fd = responder->stop_fd, .events = POLLIN },
      };
      struct sockaddr_storage from;
      socklen_t length = sizeof from;
      char buffer[64];
      ssize_t n;

      if (poll (fds, 2, -1) < 0 || fds[1].revents != 0)
        break;
      n = recvfrom (responder->fd, buffer, sizeof buffer, 0, (struct sockaddr *) &from, &length);
      if (n > 0)
        sendto (responder->fd, "pong", 4, 0, (struct sockaddr *) &from, length);
    }
  return NULL;
}

/* The UDP path, as a DNS query to a resolver would take it: an exchange
 * with a responder of the test, allowed by a udp: rule to one address and
 * refused to another. */
static void
test_egress_udp (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int pipe_fds[2];
  Responder responder;
  GThread *thread;
  g_autofree char *to_1 = NULL;
  g_autofree char *to_2 = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *prefix_2 = NULL;
  g_autofree char *output = NULL;
  g_autoptr(SandlockSandbox) sandbox = NULL;

  g_assert_true (egress_guard_present ());

  responder.fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_no_errno (bind (responder.fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (getsockname (responder.fd, (struct sockaddr *) &addr, &length));
  g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));
  responder.stop_fd = pipe_fds[0];
  thread = g_thread_new ("responder", respond, &responder);

  to_1 = g_strdup_printf ("127.0.0.1:%u", ntohs (addr.sin_port));
  to_2 = g_strdup_printf ("127.0.0.2:%u", ntohs (addr.sin_port));
  rule = g_strdup_printf ("udp:%s", to_1);
  prefix_2 = g_strdup_printf ("udp-exchange %s: ", to_2);
  {
    const char * const allow[] = { rule, NULL };

    sandbox = sandlock_test_sandbox_new ();
    sandlock_sandbox_set_net_allow (sandbox, allow);
  }
  output = run_probe_output (sandbox, "udp-exchange", to_1, "udp-exchange", to_2, NULL);
  g_test_message ("%s", output);
  assert_line_ok (output, "udp-exchange", to_1);
  assert_refused (output, prefix_2);

  g_assert_cmpint (write (pipe_fds[1], "x", 1), ==, 1);
  g_thread_join (thread);
  close (pipe_fds[0]);
  close (pipe_fds[1]);
  close (responder.fd);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/net-rules/parse/good", test_parse_good);
  g_test_add_func ("/net-rules/parse/bad", test_parse_bad);
  g_test_add_func ("/net-rules/new/errors", test_new_errors);
  g_test_add_func ("/net-rules/empty", test_empty);
  g_test_add_func ("/net-rules/match/examples", test_match_examples);
  g_test_add_func ("/net-rules/match/prefix-edges", test_match_prefix_edges);
  g_test_add_func ("/net-rules/match/v4-mapped", test_match_v4_mapped);
  g_test_add_func ("/net-rules/match/v4-mapped-deny", test_match_v4_mapped_deny);
  g_test_add_func ("/net-rules/match/deny-wins", test_match_deny_wins);
  g_test_add_func ("/net-rules/match/bad-addresses", test_match_bad_addresses);
  g_test_add_func ("/net-rules/hostname", test_hostname);
  g_test_add_func ("/net-rules/tcp-ports", test_tcp_ports);
  g_test_add_func ("/net-rules/sandbox-invalid", test_sandbox_invalid);
  g_test_add_func ("/net-rules/hosts/synthetic", test_hosts_synthetic);
  g_test_add_func ("/net-rules/hosts/with-real-file", test_hosts_with_real_file);
  g_test_add_func ("/net-rules/egress/tcp", test_egress_tcp);
  g_test_add_func ("/net-rules/egress/udp", test_egress_udp);

  return sandlock_test_run ();
}
