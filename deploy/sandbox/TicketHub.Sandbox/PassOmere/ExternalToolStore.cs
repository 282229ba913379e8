using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// The tickets of one emulated tool. In memory, behind one lock; records are immutable, so what a
/// caller gets is a consistent snapshot. With a <c>StateFile</c> they are also kept in that JSON file,
/// so that the quick start's tool numbers stay in step with the hub's databases.
/// </summary>
/// <remarks>
/// <c>updatedAt</c> is the clock's time, except that it always moves forward: a change within the
/// same instant as the previous one (or after the clock went back) is stamped one millisecond later.
/// </remarks>
internal sealed class ExternalToolStore
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ToolTicketRecord> _tickets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idsByReference = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly string? _stateFile;
    private int _lastTicket;
    private int _lastMessage;

    public ExternalToolStore(ExternalTool tool, ExternalToolOptions options, TimeProvider clock)
    {
        Tool = tool;
        _clock = clock;
        _stateFile = string.IsNullOrWhiteSpace(options.StateFile) ? null : Path.GetFullPath(options.StateFile);
        Load();
    }

    public ExternalTool Tool { get; }

    /// <summary>The ticket for the payload's reference: the existing one (<c>Created</c> false) or a new one.</summary>
    public (ToolTicketRecord Ticket, bool Created) Create(NewTicketPayload payload, string json)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_idsByReference.TryGetValue(payload.Reference, out var existing))
            {
                return (_tickets[existing], false);
            }

            var number = _lastTicket + 1;
            var ticket = new ToolTicketRecord
            {
                Id = Tool.FormatId(number, now),
                Status = ToolStatus.New,
                ReceivedAt = now,
                UpdatedAt = now,
                Received = payload,
                ReceivedJson = json,
            };
            _lastTicket = number;
            _tickets.Add(ticket.Id, ticket);
            _idsByReference.Add(payload.Reference, ticket.Id);
            Save();
            return (ticket, true);
        }
    }

    public ToolTicketRecord? Find(string id)
    {
        lock (_gate)
        {
            return _tickets.GetValueOrDefault(id);
        }
    }

    public ToolTicketRecord? FindByReference(string reference)
    {
        lock (_gate)
        {
            return _idsByReference.TryGetValue(reference, out var id) ? _tickets[id] : null;
        }
    }

    /// <summary>Every ticket, oldest first.</summary>
    public IReadOnlyList<ToolTicketRecord> All()
    {
        lock (_gate)
        {
            return [.. _tickets.Values.OrderBy(ticket => ticket.ReceivedAt).ThenBy(ticket => ticket.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Tickets with <c>updatedAt</c> at or after <paramref name="since"/> and after <paramref name="after"/>,
    /// ordered by <c>updatedAt</c> then id, at most <paramref name="limit"/>; the cursor of the last one
    /// when more follow.
    /// </summary>
    public (IReadOnlyList<ToolTicketRecord> Items, ToolCursor? Next) ChangedSince(DateTimeOffset? since, ToolCursor? after, int limit)
    {
        List<ToolTicketRecord> page;
        lock (_gate)
        {
            page = [.. _tickets.Values
                .Where(ticket => since is not { } from || ticket.UpdatedAt >= from)
                .Where(ticket => after is not { } cursor || cursor.IsBefore(ticket))
                .OrderBy(ticket => ticket.UpdatedAt)
                .ThenBy(ticket => ticket.Id, StringComparer.Ordinal)
                .Take(limit + 1)];
        }

        if (page.Count <= limit)
        {
            return (page, null);
        }

        page.RemoveAt(limit);
        return (page, ToolCursor.After(page[^1]));
    }

    /// <summary>
    /// Adds the hub's message unless one with its <c>hubMessageId</c> is already on the ticket (then
    /// returns that one, <c>Added</c> false); null when the ticket is unknown.
    /// </summary>
    public (ToolMessageRecord Message, bool Added)? AddHubMessage(string id, NewMessagePayload message)
    {
        lock (_gate)
        {
            if (!_tickets.TryGetValue(id, out var ticket))
            {
                return null;
            }

            var existing = ticket.Messages.FirstOrDefault(known =>
                Guid.TryParse(known.HubMessageId, out var hubMessageId) && hubMessageId == message.HubMessageId);
            if (existing is not null)
            {
                return (existing, false);
            }

            var added = Append(ticket, message.Body, message.AuthorName, AuthorRoles.Hub, isPublic: true, message.HubMessageIdText);
            return (added, true);
        }
    }

    /// <summary>A reply (public) or a private note written by the tool's technician; null when the ticket is unknown.</summary>
    public ToolMessageRecord? AddTechnicianMessage(string id, string body, bool isPublic)
    {
        lock (_gate)
        {
            return _tickets.TryGetValue(id, out var ticket)
                ? Append(ticket, body, Tool.TechnicianName, AuthorRoles.Technician, isPublic, hubMessageId: null)
                : null;
        }
    }

    /// <summary>Sets the status; <c>updatedAt</c> moves only when it changes. Null when the ticket is unknown.</summary>
    public ToolTicketRecord? ChangeStatus(string id, string status)
    {
        lock (_gate)
        {
            if (!_tickets.TryGetValue(id, out var ticket))
            {
                return null;
            }

            if (ticket.Status == status)
            {
                return ticket;
            }

            var changed = ticket with { Status = status, UpdatedAt = Stamp(ticket) };
            _tickets[id] = changed;
            Save();
            return changed;
        }
    }

    /// <summary>Forgets every ticket; numbers start again at 1.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _tickets.Clear();
            _idsByReference.Clear();
            _lastTicket = 0;
            _lastMessage = 0;
            Save();
        }
    }

    /// <summary>Called under the lock.</summary>
    private ToolMessageRecord Append(ToolTicketRecord ticket, string body, string? authorName, string authorRole, bool isPublic, string? hubMessageId)
    {
        var stamp = Stamp(ticket);
        _lastMessage++;
        var message = new ToolMessageRecord(
            _lastMessage.ToString(CultureInfo.InvariantCulture), body, authorName, authorRole, isPublic, hubMessageId, stamp);
        _tickets[ticket.Id] = ticket with { UpdatedAt = stamp, Messages = [.. ticket.Messages, message] };
        Save();
        return message;
    }

    private DateTimeOffset Stamp(ToolTicketRecord ticket)
    {
        var now = _clock.GetUtcNow();
        return now > ticket.UpdatedAt ? now : ticket.UpdatedAt + Tick;
    }

    private sealed record State(int LastTicket, int LastMessage, List<ToolTicketRecord> Tickets);

    private void Load()
    {
        if (_stateFile is null || !File.Exists(_stateFile))
        {
            return;
        }

        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(_stateFile), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"{Tool.SectionName}:StateFile {_stateFile} is empty.");
        foreach (var ticket in state.Tickets)
        {
            _tickets[ticket.Id] = ticket;
            _idsByReference[ticket.Reference] = ticket.Id;
        }

        _lastTicket = state.LastTicket;
        _lastMessage = state.LastMessage;
    }

    /// <summary>Called under the lock: writes a new file and swaps it in, so a crash never leaves half a file.</summary>
    private void Save()
    {
        if (_stateFile is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
        var temporary = _stateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new State(_lastTicket, _lastMessage, [.. _tickets.Values]), JsonSerializerOptions.Web));
        File.Move(temporary, _stateFile, overwrite: true);
    }
}

/// <summary>
/// Where a page of <c>updatedSince</c> results stopped: the last ticket's <c>updatedAt</c> and id.
/// Opaque to the hub: base64url of <c>v1|ticks|id</c>.
/// </summary>
internal sealed record ToolCursor(DateTimeOffset UpdatedAt, string Id)
{
    public static ToolCursor After(ToolTicketRecord ticket) => new(ticket.UpdatedAt, ticket.Id);

    /// <summary>True when <paramref name="ticket"/> comes after this position in (updatedAt, id) order.</summary>
    public bool IsBefore(ToolTicketRecord ticket) =>
        ticket.UpdatedAt > UpdatedAt || (ticket.UpdatedAt == UpdatedAt && string.CompareOrdinal(ticket.Id, Id) > 0);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1|{UpdatedAt.UtcTicks}|{Id}")));

    public static ToolCursor? Decode(string text)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('|', 3);
        return parts is ["v1", var ticks, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks)
            && utcTicks <= DateTimeOffset.MaxValue.UtcTicks
            && id.Length > 0
            ? new ToolCursor(new DateTimeOffset(utcTicks, TimeSpan.Zero), id)
            : null;
    }
}
