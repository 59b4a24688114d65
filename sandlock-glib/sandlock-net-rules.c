/* sandlock-net-rules.c: parsing, resolving and matching net-allow and
 * net-deny
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include "sandlock-error.h"
#include "sandlock-net-rules-private.h"
#include "sandlock-i18n-private.h"

/* One destination a rule matches: a hostname gives one per address. */
typedef struct {
  SandlockNetProto  proto;
  int               family;      /* AF_INET, AF_INET6, AF_UNSPEC: any */
  guint8            addr[16];
  guint             prefix;
  guint16           port_low;
  guint16           port_high;
  const char       *text;        /* the entry, owned by the ruleset */
} NetMatch;

struct _SandlockNetRules {
  GPtrArray *texts;   /* of char *: every entry as written */
  GArray    *allow;   /* of NetMatch */
  GArray    *deny;    /* of NetMatch */
  char      *hosts_text;
  /* The TCP allow entries' ports, for Landlock: pairs of guint16. */
  GArray    *tcp_allow_ports;
};

/* ---- parsing ------------------------------------------------------------------ */

static gboolean
fail (GError     **error,
      const char  *what,
      const char  *entry,
      const char  *why)
{
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
               _("%s: Invalid rule '%s': %s"), what, entry, why);
  return FALSE;
}

static gboolean
parse_port (const char *text,
            gsize       length,
            guint16    *out,
            const char **why)
{
  guint value = 0;

  if (length == 0)
    {
      *why = "a port is missing (PORT, LOW-HIGH or *)";
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        {
          *why = "ports are decimal numbers (PORT, LOW-HIGH or *)";
          return FALSE;
        }
      value = value * 10 + (guint) (text[i] - '0');
      if (value > 65535)
        {
          *why = "ports go up to 65535";
          return FALSE;
        }
    }
  if (value == 0)
    {
      *why = "port 0 is not a port";
      return FALSE;
    }
  *out = (guint16) value;
  return TRUE;
}

static gboolean
parse_ports (const char *text,
             guint16    *low,
             guint16    *high,
             const char **why)
{
  const char *dash;

  if (strcmp (text, "*") == 0)
    {
      *low = 1;
      *high = 65535;
      return TRUE;
    }

  dash = strchr (text, '-');
  if (dash == NULL)
    {
      if (!parse_port (text, strlen (text), low, why))
        return FALSE;
      *high = *low;
      return TRUE;
    }
  if (!parse_port (text, (gsize) (dash - text), low, why) ||
      !parse_port (dash + 1, strlen (dash + 1), high, why))
    return FALSE;
  if (*low > *high)
    {
      *why = "the port range is reversed";
      return FALSE;
    }
  return TRUE;
}

/* Decimal prefix length up to @max. */
static gboolean
parse_prefix (const char *text,
              guint       max,
              guint      *out)
{
  guint value = 0;

  if (*text == '\0' || strlen (text) > 3)
    return FALSE;
  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isdigit (*text))
        return FALSE;
      value = value * 10 + (guint) (*text - '0');
    }
  if (value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* Whether the bits of @addr past @prefix are all zero. */
static gboolean
host_bits_clear (const guint8 *addr,
                 guint         n_bytes,
                 guint         prefix)
{
  for (guint bit = prefix; bit < n_bytes * 8; bit++)
    if (addr[bit / 8] & (0x80 >> (bit % 8)))
      return FALSE;
  return TRUE;
}

/* An address, or ADDRESS/PREFIX, of @family. */
static gboolean
parse_address (const char          *text,
               int                  family,
               SandlockNetRuleSpec *out,
               const char         **why)
{
  g_autofree char *copy = g_strdup (text);
  char *slash = strchr (copy, '/');
  guint n_bytes = family == AF_INET ? 4 : 16;
  guint prefix = n_bytes * 8;

  if (slash != NULL)
    {
      *slash = '\0';
      if (!parse_prefix (slash + 1, n_bytes * 8, &prefix))
        {
          *why = family == AF_INET ? "an IPv4 prefix length is a number from 0 to 32"
                                   : "an IPv6 prefix length is a number from 0 to 128";
          return FALSE;
        }
    }

  memset (out->addr, 0, sizeof out->addr);
  if (inet_pton (family, copy, out->addr) != 1)
    {
      *why = family == AF_INET ? "not an IPv4 address"
                               : "not an IPv6 address";
      return FALSE;
    }
  if (!host_bits_clear (out->addr, n_bytes, prefix))
    {
      *why = "the address has bits set past its prefix length";
      return FALSE;
    }

  out->family = family;
  out->prefix = prefix;
  return TRUE;
}

static gboolean
valid_hostname (const char *host)
{
  gsize length = strlen (host);

  if (length == 0 || length > 253 || host[0] == '.' || host[0] == '-')
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  /* All digits and dots would be a malformed IPv4 address, not a name. */
  if (strspn (host, "0123456789.") == length)
    return FALSE;
  return TRUE;
}

void
sandlock_net_rule_spec_clear (SandlockNetRuleSpec *spec)
{
  g_clear_pointer (&spec->hostname, g_free);
}

gboolean
sandlock_parse_net_rule (const char           *what,
                         const char           *entry,
                         SandlockNetRuleSpec  *out,
                         GError              **error)
{
  const char *rest = entry;
  const char *why = NULL;
  const char *ports;
  g_autofree char *host = NULL;

  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->proto = SANDLOCK_NET_TCP;
  out->family = AF_UNSPEC;

  if (g_str_has_prefix (rest, "udp:"))
    {
      out->proto = SANDLOCK_NET_UDP;
      rest += 4;
    }
  else if (g_str_has_prefix (rest, "tcp:"))
    rest += 4;

  if (rest[0] == '[')
    {
      const char *close = strchr (rest, ']');

      if (close == NULL)
        return fail (error, what, entry, "a ']' is missing after the IPv6 address");
      if (close[1] != ':')
        return fail (error, what, entry, "the port is missing: write [ADDRESS]:PORT");
      host = g_strndup (rest + 1, (gsize) (close - rest - 1));
      ports = close + 2;
      if (!parse_address (host, AF_INET6, out, &why))
        return fail (error, what, entry, why);
    }
  else
    {
      const char *colon = strrchr (rest, ':');

      if (colon == NULL)
        return fail (error, what, entry, "the port is missing: write HOST:PORT");
      host = g_strndup (rest, (gsize) (colon - rest));
      ports = colon + 1;
      if (strchr (host, ':') != NULL)
        return fail (error, what, entry, "IPv6 addresses go in brackets: [ADDRESS]:PORT");
      if (host[0] == '\0')
        return fail (error, what, entry, "the host is missing: write HOST:PORT, or *:PORT for any");

      if (strcmp (host, "*") == 0)
        out->prefix = 0;
      else if (strchr (host, '/') != NULL || strspn (host, "0123456789.") == strlen (host))
        {
          if (!parse_address (host, AF_INET, out, &why))
            return fail (error, what, entry, why);
        }
      else if (valid_hostname (host))
        out->hostname = g_ascii_strdown (host, -1);
      else
        return fail (error, what, entry,
                     "not an address, a prefix, a hostname or *");
    }

  if (!parse_ports (ports, &out->port_low, &out->port_high, &why))
    {
      sandlock_net_rule_spec_clear (out);
      return fail (error, what, entry, why);
    }
  return TRUE;
}

/* ---- building ------------------------------------------------------------------ */

static gboolean prefix_matches (const guint8 *rule,
                                const guint8 *addr,
                                guint         prefix);

void
sandlock_net_rules_free (SandlockNetRules *rules)
{
  if (rules == NULL)
    return;
  g_ptr_array_unref (rules->texts);
  g_array_unref (rules->allow);
  g_array_unref (rules->deny);
  g_array_unref (rules->tcp_allow_ports);
  g_free (rules->hosts_text);
  g_free (rules);
}

static void
add_match (GArray                    *matches,
           const SandlockNetRuleSpec *spec,
           int                        family,
           const guint8              *addr,
           guint                      prefix,
           const char                *text)
{
  NetMatch match = {
    .proto = spec->proto,
    .family = family,
    .prefix = prefix,
    .port_low = spec->port_low,
    .port_high = spec->port_high,
    .text = text,
  };

  if (addr != NULL)
    memcpy (match.addr, addr, family == AF_INET ? 4 : 16);
  g_array_append_val (matches, match);
}

/* The IPv4 addresses an IPv6 match names through the mapped range
 * ::ffff:0:0/96: a v4-mapped destination is matched as its IPv4 address,
 * so a deny match that names some must also be an IPv4 match, or it would
 * deny nothing. Allow matches are not widened (fail closed). */
static void
add_mapped_ipv4_match (GArray                    *matches,
                       const SandlockNetRuleSpec *spec,
                       const guint8              *addr,
                       guint                      prefix,
                       const char                *text)
{
  static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  static const guint8 any[4] = { 0 };

  if (prefix >= 96)
    {
      if (memcmp (addr, mapped, sizeof mapped) == 0)
        add_match (matches, spec, AF_INET, addr + 12, prefix - 96, text);
    }
  else if (prefix_matches (addr, mapped, prefix))
    add_match (matches, spec, AF_INET, any, 0, text);
}

static gboolean
add_entries (SandlockNetRules    *rules,
             GArray              *matches,
             const char          *what,
             const char * const  *entries,
             gboolean             is_allow,
             GResolver           *resolver,
             GCancellable        *cancellable,
             GString             *hosts,
             GError             **error)
{
  for (gsize i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      SandlockNetRuleSpec spec;
      char *text;

      if (!sandlock_parse_net_rule (what, entries[i], &spec, error))
        return FALSE;

      text = g_strdup (entries[i]);
      g_ptr_array_add (rules->texts, text);

      if (spec.hostname != NULL)
        {
          g_autoptr(GError) local_error = NULL;
          GList *addresses = g_resolver_lookup_by_name (resolver, spec.hostname,
                                                        cancellable, &local_error);

          if (addresses == NULL)
            {
              g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                           _("%s: Cannot resolve '%s' of rule '%s': %s"), what,
                           spec.hostname, entries[i], local_error->message);
              sandlock_net_rule_spec_clear (&spec);
              return FALSE;
            }
          for (GList *l = addresses; l != NULL; l = l->next)
            {
              GInetAddress *address = l->data;
              GSocketFamily family = g_inet_address_get_family (address);
              g_autofree char *string = g_inet_address_to_string (address);

              add_match (matches, &spec, family == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6,
                         g_inet_address_to_bytes (address),
                         family == G_SOCKET_FAMILY_IPV4 ? 32 : 128, text);
              if (!is_allow && family == G_SOCKET_FAMILY_IPV6)
                add_mapped_ipv4_match (matches, &spec, g_inet_address_to_bytes (address),
                                       128, text);
              g_string_append_printf (hosts, "%s %s\n", string, spec.hostname);
            }
          g_resolver_free_addresses (addresses);
        }
      else
        {
          add_match (matches, &spec, spec.family,
                     spec.family != AF_UNSPEC ? spec.addr : NULL, spec.prefix, text);
          if (!is_allow && spec.family == AF_INET6)
            add_mapped_ipv4_match (matches, &spec, spec.addr, spec.prefix, text);
        }

      if (is_allow && spec.proto == SANDLOCK_NET_TCP)
        {
          g_array_append_val (rules->tcp_allow_ports, spec.port_low);
          g_array_append_val (rules->tcp_allow_ports, spec.port_high);
        }
      sandlock_net_rule_spec_clear (&spec);
    }
  return TRUE;
}

SandlockNetRules *
sandlock_net_rules_new (const char * const  *allow,
                        const char * const  *deny,
                        GResolver           *resolver,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(SandlockNetRules) rules = g_new0 (SandlockNetRules, 1);
  g_autoptr(GResolver) default_resolver = NULL;
  g_autoptr(GString) hosts = g_string_new (NULL);

  rules->texts = g_ptr_array_new_with_free_func (g_free);
  rules->allow = g_array_new (FALSE, FALSE, sizeof (NetMatch));
  rules->deny = g_array_new (FALSE, FALSE, sizeof (NetMatch));
  rules->tcp_allow_ports = g_array_new (FALSE, FALSE, sizeof (guint16));

  if (resolver == NULL)
    resolver = default_resolver = g_resolver_get_default ();

  if (!add_entries (rules, rules->allow, "net-allow", allow, TRUE,
                    resolver, cancellable, hosts, error) ||
      !add_entries (rules, rules->deny, "net-deny", deny, FALSE,
                    resolver, cancellable, hosts, error))
    return NULL;

  rules->hosts_text = g_string_free (g_steal_pointer (&hosts), FALSE);
  return g_steal_pointer (&rules);
}

/* ---- matching ------------------------------------------------------------------ */

gboolean
sandlock_net_rules_is_empty (const SandlockNetRules *rules)
{
  return rules == NULL || rules->texts->len == 0;
}

static gboolean
prefix_matches (const guint8 *rule,
                const guint8 *addr,
                guint         prefix)
{
  guint whole = prefix / 8, rest = prefix % 8;

  if (memcmp (rule, addr, whole) != 0)
    return FALSE;
  if (rest == 0)
    return TRUE;
  return ((rule[whole] ^ addr[whole]) & (guint8) (0xff << (8 - rest))) == 0;
}

static const NetMatch *
find_match (const GArray     *matches,
            SandlockNetProto  proto,
            int               family,
            const guint8     *addr,
            guint16           port)
{
  for (guint i = 0; i < matches->len; i++)
    {
      const NetMatch *match = &g_array_index (matches, NetMatch, i);

      if (match->proto != proto || port < match->port_low || port > match->port_high)
        continue;
      if (match->family == AF_UNSPEC ||
          (match->family == family && prefix_matches (match->addr, addr, match->prefix)))
        return match;
    }
  return NULL;
}

gboolean
sandlock_net_rules_allows (const SandlockNetRules *rules,
                           SandlockNetProto        proto,
                           const struct sockaddr  *addr,
                           socklen_t               addr_len,
                           const char            **rule_out)
{
  const NetMatch *match;
  guint8 bytes[16];
  int family;
  guint16 port;

  if (rule_out != NULL)
    *rule_out = NULL;
  if (rules == NULL || addr == NULL)
    return FALSE;

  if (addr->sa_family == AF_INET && addr_len >= (socklen_t) sizeof (struct sockaddr_in))
    {
      const struct sockaddr_in *in = (const struct sockaddr_in *) addr;

      family = AF_INET;
      memcpy (bytes, &in->sin_addr, 4);
      port = ntohs (in->sin_port);
    }
  /* The kernel takes IPv6 addresses without sin6_scope_id (RFC 2133's
   * 24 bytes) too. */
  else if (addr->sa_family == AF_INET6 &&
           addr_len >= (socklen_t) offsetof (struct sockaddr_in6, sin6_scope_id))
    {
      const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) addr;

      port = ntohs (in6->sin6_port);
      if (IN6_IS_ADDR_V4MAPPED (&in6->sin6_addr))
        {
          family = AF_INET;
          memcpy (bytes, &in6->sin6_addr.s6_addr[12], 4);
        }
      else
        {
          family = AF_INET6;
          memcpy (bytes, &in6->sin6_addr, 16);
        }
    }
  else
    return FALSE;

  match = find_match (rules->deny, proto, family, bytes, port);
  if (match != NULL)
    {
      if (rule_out != NULL)
        *rule_out = match->text;
      return FALSE;
    }

  match = find_match (rules->allow, proto, family, bytes, port);
  if (match != NULL)
    {
      if (rule_out != NULL)
        *rule_out = match->text;
      return TRUE;
    }
  return FALSE;
}

gboolean
sandlock_net_rules_foreach_tcp_allow_ports (const SandlockNetRules    *rules,
                                            SandlockNetPortRangeFunc   func,
                                            gpointer                   user_data,
                                            GError                   **error)
{
  if (rules == NULL)
    return TRUE;
  for (guint i = 0; i + 1 < rules->tcp_allow_ports->len; i += 2)
    if (!func (g_array_index (rules->tcp_allow_ports, guint16, i),
               g_array_index (rules->tcp_allow_ports, guint16, i + 1),
               user_data, error))
      return FALSE;
  return TRUE;
}

const char *
sandlock_net_rules_get_hosts_text (const SandlockNetRules *rules)
{
  return rules != NULL ? rules->hosts_text : "";
}
