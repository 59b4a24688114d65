/* sandlock-net-rules-private.h: the net-allow and net-deny rules
 *
 * A SandlockNetRules is the compiled form of the net-allow and net-deny
 * properties: destinations (an address or prefix, or any address; a port
 * range; TCP or UDP) the command may reach, and exceptions. Hostnames are
 * resolved once, when the rules are built (when the policy is compiled).
 * Immutable once built: matching is thread-safe.
 *
 * Entry syntax ("[udp:|tcp:]HOST:PORTS"):
 *   HOST   *, an IPv4 address, an IPv4 prefix (10.0.0.0/8), an IPv6
 *          address or prefix in brackets ([::1], [2001:db8::/32]), or a
 *          hostname (resolved with GResolver)
 *   PORTS  *, a port or a range LOW-HIGH, 1 to 65535
 * TCP unless the entry starts with "udp:".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sys/socket.h>

G_BEGIN_DECLS

typedef struct _SandlockNetRules SandlockNetRules; /* immutable once built; matching is thread-safe */

typedef enum {
  SANDLOCK_NET_TCP,
  SANDLOCK_NET_UDP,
} SandlockNetProto;

/* One entry as parsed, before any resolution (fuzzed: tests/fuzz). */
typedef struct {
  SandlockNetProto proto;
  int              family;     /* AF_INET, AF_INET6, or AF_UNSPEC: any address or a hostname */
  guint8           addr[16];   /* network order; 4 bytes for AF_INET */
  guint            prefix;     /* bits of addr that must match */
  char            *hostname;   /* non-NULL: resolve; family is AF_UNSPEC */
  guint16          port_low;
  guint16          port_high;
} SandlockNetRuleSpec;

/* Parses one entry; @what ("net-allow", "net-deny") prefixes the message of
 * a SANDLOCK_ERROR_INVALID_POLICY. Free out->hostname with
 * sandlock_net_rule_spec_clear(). */
gboolean sandlock_parse_net_rule (const char           *what,
                                  const char           *entry,
                                  SandlockNetRuleSpec  *out,
                                  GError              **error);
void     sandlock_net_rule_spec_clear (SandlockNetRuleSpec *spec);

/* Parses @allow and @deny (NULL-terminated, or NULL for none) and resolves
 * their hostnames with @resolver (NULL: the default one), synchronously.
 * NULL with SANDLOCK_ERROR_INVALID_POLICY for a malformed entry or a
 * hostname that does not resolve (fail closed: an unresolved net-deny
 * entry would deny nothing). Both lists empty gives an empty ruleset (not
 * NULL). */
SandlockNetRules *sandlock_net_rules_new (const char * const  *allow,
                                          const char * const  *deny,
                                          GResolver           *resolver,
                                          GCancellable        *cancellable,
                                          GError             **error);
void              sandlock_net_rules_free (SandlockNetRules *rules);

/* NULL-safe: no rules at all (both lists empty) means sandlock_net_rules_is_empty() */
gboolean sandlock_net_rules_is_empty (const SandlockNetRules *rules);

/* Whether a destination is allowed; *rule_out (may be NULL) gets the text of the rule that
 * decided (an allow entry, a deny entry, or NULL when no rule matched = refused). addr is
 * AF_INET or AF_INET6 (v4-mapped v6 are matched as IPv4). Deny wins over allow. An address
 * of another family, or shorter than the kernel accepts (16 bytes for IPv4, 24 for IPv6),
 * is refused. */
gboolean sandlock_net_rules_allows (const SandlockNetRules *rules,
                                    SandlockNetProto        proto,
                                    const struct sockaddr  *addr,
                                    socklen_t               addr_len,
                                    const char            **rule_out);

/* Calls @func for the port range of each TCP net-allow entry (for
 * Landlock's connect rules), in order, duplicates included. */
typedef gboolean (*SandlockNetPortRangeFunc) (guint16    low,
                                              guint16    high,
                                              gpointer   user_data,
                                              GError   **error);
gboolean sandlock_net_rules_foreach_tcp_allow_ports (const SandlockNetRules    *rules,
                                                     SandlockNetPortRangeFunc   func,
                                                     gpointer                   user_data,
                                                     GError                   **error);

/* The hostnames of the rules with the addresses they resolved to, as lines
 * of a hosts(5) file ("ADDRESS NAME\n"), for the command's own lookups to
 * get the same answers; "" when no rule names a host. */
const char *sandlock_net_rules_get_hosts_text (const SandlockNetRules *rules);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandlockNetRules, sandlock_net_rules_free)

G_END_DECLS
