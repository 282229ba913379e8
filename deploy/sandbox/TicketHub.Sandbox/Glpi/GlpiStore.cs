using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Glpi;

/// <summary>
/// The emulated GLPI's state: sessions, tickets, follow-ups. In memory, behind one lock; records are
/// immutable, so what a caller gets is a consistent snapshot.
/// </summary>
internal sealed class GlpiStore(IOptions<GlpiSandboxOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, GlpiTicketRecord> _tickets = [];
    private readonly SortedDictionary<int, GlpiFollowupRecord> _followups = [];
    private int _lastTicketId;
    private int _lastFollowupId;

    public DateTimeOffset Now => clock.GetUtcNow();

    public string OpenSession()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(13));
        lock (_gate)
        {
            _sessions[token] = Now;
        }

        return token;
    }

    /// <summary>True when the session exists and was used recently enough; then its life starts again.</summary>
    public bool TouchSession(string token)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(token, out var lastUse))
            {
                return false;
            }

            if (now - lastUse > options.Value.SessionLifetime)
            {
                _sessions.Remove(token);
                return false;
            }

            _sessions[token] = now;
            return true;
        }
    }

    public void CloseSession(string token)
    {
        lock (_gate)
        {
            _sessions.Remove(token);
        }
    }

    /// <summary>As if GLPI restarted or purged its sessions: every client must log in again.</summary>
    public int ExpireAllSessions()
    {
        lock (_gate)
        {
            var count = _sessions.Count;
            _sessions.Clear();
            return count;
        }
    }

    public GlpiTicketRecord AddTicket(Func<int, DateTimeOffset, GlpiTicketRecord> create)
    {
        var now = Now;
        lock (_gate)
        {
            var ticket = create(++_lastTicketId, now);
            _tickets.Add(ticket.Id, ticket);
            return ticket;
        }
    }

    public GlpiTicketRecord? FindTicket(int id)
    {
        lock (_gate)
        {
            return _tickets.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<GlpiTicketRecord> Tickets()
    {
        lock (_gate)
        {
            return [.. _tickets.Values];
        }
    }

    /// <summary>Applies <paramref name="change"/>, stamps date_mod and the solve/close dates; null when unknown.</summary>
    public GlpiTicketRecord? UpdateTicket(int id, int userId, Func<GlpiTicketRecord, GlpiTicketRecord> change)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_tickets.TryGetValue(id, out var before))
            {
                return null;
            }

            var after = change(before) with { DateMod = now, LastUpdaterUserId = userId };
            after = after with
            {
                SolveDate = after.Status >= GlpiStatus.Solved ? after.SolveDate ?? now : null,
                CloseDate = after.Status == GlpiStatus.Closed ? after.CloseDate ?? now : null,
            };
            _tickets[id] = after;
            return after;
        }
    }

    /// <summary>Adds a follow-up and touches the ticket's date_mod; null when the ticket is unknown.</summary>
    public GlpiFollowupRecord? AddFollowup(int ticketId, int userId, string content, bool isPrivate)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_tickets.TryGetValue(ticketId, out var ticket))
            {
                return null;
            }

            var followup = new GlpiFollowupRecord
            {
                Id = ++_lastFollowupId,
                TicketId = ticketId,
                UserId = userId,
                Content = content,
                IsPrivate = isPrivate,
                Date = now,
            };
            _followups.Add(followup.Id, followup);
            _tickets[ticketId] = ticket with { DateMod = now, LastUpdaterUserId = userId };
            return followup;
        }
    }

    public GlpiFollowupRecord? FindFollowup(int id)
    {
        lock (_gate)
        {
            return _followups.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<GlpiFollowupRecord> Followups(int ticketId)
    {
        lock (_gate)
        {
            return [.. _followups.Values.Where(followup => followup.TicketId == ticketId)];
        }
    }

    /// <summary>Forgets every ticket, follow-up and session; ids start again at 1.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _tickets.Clear();
            _followups.Clear();
            _lastTicketId = 0;
            _lastFollowupId = 0;
        }
    }
}
