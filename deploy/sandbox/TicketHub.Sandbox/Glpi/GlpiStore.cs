using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Glpi;

/// <summary>
/// The emulated GLPI's state: sessions, tickets, follow-ups, solutions. In memory, behind one lock;
/// records are immutable, so what a caller gets is a consistent snapshot. With
/// <c>Sandbox:Glpi:StateFile</c> set, tickets, follow-ups and solutions are also kept in that JSON
/// file (sessions are not, as after a GLPI restart), so that the quick start's GLPI ids stay in step
/// with the hub's own databases.
/// </summary>
internal sealed class GlpiStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, GlpiTicketRecord> _tickets = [];
    private readonly SortedDictionary<int, GlpiFollowupRecord> _followups = [];
    private readonly SortedDictionary<int, GlpiSolutionRecord> _solutions = [];
    private readonly SortedDictionary<int, GlpiDocumentRecord> _documents = [];
    private readonly SortedDictionary<int, GlpiDocumentLinkRecord> _documentLinks = [];
    private readonly IOptions<GlpiSandboxOptions> _options;
    private readonly TimeProvider _clock;
    private readonly string? _stateFile;
    private int _lastTicketId;
    private int _lastFollowupId;
    private int _lastSolutionId;
    private int _lastDocumentId;
    private int _lastDocumentLinkId;

    public GlpiStore(IOptions<GlpiSandboxOptions> options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _stateFile = string.IsNullOrWhiteSpace(options.Value.StateFile) ? null : Path.GetFullPath(options.Value.StateFile);
        Load();
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

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

            if (now - lastUse > _options.Value.SessionLifetime)
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
            Save();
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
            Save();
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
            Save();
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

    /// <summary>
    /// Solves the ticket as GLPI does: a solution is added, the ticket moves to 5 (solved), its
    /// solve date and date_mod are stamped. Null when the ticket is unknown.
    /// </summary>
    public GlpiSolutionRecord? Solve(int ticketId, int userId, string content)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_tickets.TryGetValue(ticketId, out var ticket))
            {
                return null;
            }

            var solution = new GlpiSolutionRecord { Id = ++_lastSolutionId, TicketId = ticketId, UserId = userId, Content = content, Date = now };
            _solutions.Add(solution.Id, solution);
            _tickets[ticketId] = ticket with
            {
                Status = GlpiStatus.Solved,
                SolveDate = now,
                CloseDate = null,
                DateMod = now,
                LastUpdaterUserId = userId,
            };
            Save();
            return solution;
        }
    }

    public IReadOnlyList<GlpiSolutionRecord> Solutions(int ticketId)
    {
        lock (_gate)
        {
            return [.. _solutions.Values.Where(solution => solution.TicketId == ticketId)];
        }
    }

    /// <summary>
    /// Adds a document and, when <paramref name="linkTo"/> names an item, its link, as GLPI's
    /// Document::post_addItem does in the same call; a ticket that does not exist gets no link.
    /// </summary>
    public (GlpiDocumentRecord Document, GlpiDocumentLinkRecord? Link) AddDocument(
        Func<int, DateTimeOffset, GlpiDocumentRecord> create, (string ItemType, int ItemId)? linkTo)
    {
        var now = Now;
        lock (_gate)
        {
            var document = create(++_lastDocumentId, now);
            _documents.Add(document.Id, document);
            GlpiDocumentLinkRecord? link = null;
            if (linkTo is { } item && (item.ItemType != "Ticket" || _tickets.ContainsKey(item.ItemId)))
            {
                link = new GlpiDocumentLinkRecord { Id = ++_lastDocumentLinkId, DocumentId = document.Id, ItemType = item.ItemType, ItemId = item.ItemId, Date = now };
                _documentLinks.Add(link.Id, link);
            }

            Save();
            return (document, link);
        }
    }

    /// <summary>Links a document to an item; null when either is unknown or the link exists already (GLPI refuses both).</summary>
    public GlpiDocumentLinkRecord? LinkDocument(int documentId, string itemType, int itemId)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_documents.ContainsKey(documentId)
                || (itemType == "Ticket" && !_tickets.ContainsKey(itemId))
                || _documentLinks.Values.Any(link => link.DocumentId == documentId && link.ItemType == itemType && link.ItemId == itemId))
            {
                return null;
            }

            var link = new GlpiDocumentLinkRecord { Id = ++_lastDocumentLinkId, DocumentId = documentId, ItemType = itemType, ItemId = itemId, Date = now };
            _documentLinks.Add(link.Id, link);
            Save();
            return link;
        }
    }

    public GlpiDocumentRecord? FindDocument(int id)
    {
        lock (_gate)
        {
            return _documents.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<GlpiDocumentRecord> Documents()
    {
        lock (_gate)
        {
            return [.. _documents.Values];
        }
    }

    /// <summary>The links of a document (<paramref name="documentId"/>) or of an item (<paramref name="itemType"/>, <paramref name="itemId"/>).</summary>
    public IReadOnlyList<GlpiDocumentLinkRecord> DocumentLinks(int? documentId = null, string? itemType = null, int? itemId = null)
    {
        lock (_gate)
        {
            return [.. _documentLinks.Values.Where(link =>
                (documentId is null || link.DocumentId == documentId)
                && (itemType is null || (link.ItemType == itemType && link.ItemId == itemId)))];
        }
    }

    /// <summary>The documents linked to ticket <paramref name="ticketId"/>, oldest first.</summary>
    public IReadOnlyList<GlpiDocumentRecord> TicketDocuments(int ticketId)
    {
        lock (_gate)
        {
            return [.. _documentLinks.Values
                .Where(link => link.ItemType == "Ticket" && link.ItemId == ticketId)
                .Select(link => _documents[link.DocumentId])
                .OrderBy(document => document.Id)];
        }
    }

    /// <summary>Forgets every ticket, follow-up, solution and session; ids start again at 1.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _tickets.Clear();
            _followups.Clear();
            _solutions.Clear();
            _documents.Clear();
            _documentLinks.Clear();
            _lastDocumentId = 0;
            _lastDocumentLinkId = 0;
            _lastTicketId = 0;
            _lastFollowupId = 0;
            _lastSolutionId = 0;
            Save();
        }
    }

    /// <summary>The state file; solutions and documents are absent from files written before the sandbox emulated them.</summary>
    private sealed record State(
        int LastTicketId,
        int LastFollowupId,
        List<GlpiTicketRecord> Tickets,
        List<GlpiFollowupRecord> Followups,
        int LastSolutionId = 0,
        List<GlpiSolutionRecord>? Solutions = null,
        int LastDocumentId = 0,
        List<GlpiDocumentRecord>? Documents = null,
        int LastDocumentLinkId = 0,
        List<GlpiDocumentLinkRecord>? DocumentLinks = null);

    private void Load()
    {
        if (_stateFile is null || !File.Exists(_stateFile))
        {
            return;
        }

        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(_stateFile), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Sandbox:Glpi:StateFile {_stateFile} is empty.");
        foreach (var ticket in state.Tickets)
        {
            _tickets[ticket.Id] = ticket;
        }

        foreach (var followup in state.Followups)
        {
            _followups[followup.Id] = followup;
        }

        foreach (var solution in state.Solutions ?? [])
        {
            _solutions[solution.Id] = solution;
        }

        foreach (var document in state.Documents ?? [])
        {
            _documents[document.Id] = document;
        }

        foreach (var link in state.DocumentLinks ?? [])
        {
            _documentLinks[link.Id] = link;
        }

        _lastDocumentId = state.LastDocumentId;
        _lastDocumentLinkId = state.LastDocumentLinkId;
        _lastTicketId = state.LastTicketId;
        _lastFollowupId = state.LastFollowupId;
        _lastSolutionId = state.LastSolutionId;
    }

    /// <summary>Called under the lock: writes a new file and swaps it in, so a crash never leaves half a file.</summary>
    private void Save()
    {
        if (_stateFile is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
        var state = new State(
            _lastTicketId, _lastFollowupId, [.. _tickets.Values], [.. _followups.Values], _lastSolutionId, [.. _solutions.Values],
            _lastDocumentId, [.. _documents.Values], _lastDocumentLinkId, [.. _documentLinks.Values]);
        var temporary = _stateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, JsonSerializerOptions.Web));
        File.Move(temporary, _stateFile, overwrite: true);
    }
}
