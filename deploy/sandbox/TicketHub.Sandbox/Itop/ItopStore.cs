using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// The emulated iTop's UserRequests. In memory, behind one lock; records are immutable, so what a
/// caller gets is a consistent snapshot. With <c>Sandbox:Itop:StateFile</c> set, they are also kept
/// in that JSON file, so that the quick start's iTop keys stay in step with the hub's databases.
/// </summary>
internal sealed class ItopStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, ItopRequestRecord> _requests = [];
    private readonly SortedDictionary<int, ItopAttachmentRecord> _attachments = [];
    private readonly TimeProvider _clock;
    private readonly string? _stateFile;
    private readonly Dictionary<string, int> _refCounters = new(StringComparer.Ordinal);
    private int _lastId;
    private int _lastAttachmentId;

    public ItopStore(IOptions<ItopSandboxOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _stateFile = string.IsNullOrWhiteSpace(options.Value.StateFile) ? null : Path.GetFullPath(options.Value.StateFile);
        Load();
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>
    /// Creates a ticket of <paramref name="className"/> from the next key, the class's next reference
    /// number and the current time; <paramref name="create"/> may throw to refuse it. As in iTop, a
    /// refused create has consumed its reference number (iTop takes it before it checks the values).
    /// </summary>
    public ItopRequestRecord Add(string className, Func<int, int, DateTimeOffset, ItopRequestRecord> create)
    {
        var now = Now;
        lock (_gate)
        {
            var refNumber = _refCounters[className] = _refCounters.GetValueOrDefault(className) + 1;
            ItopRequestRecord request;
            try
            {
                request = create(_lastId + 1, refNumber, now);
            }
            finally
            {
                Save();
            }

            _lastId = request.Id;
            _requests.Add(request.Id, request);
            Save();
            return request;
        }
    }

    public ItopRequestRecord? Find(int id)
    {
        lock (_gate)
        {
            return _requests.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<ItopRequestRecord> All()
    {
        lock (_gate)
        {
            return [.. _requests.Values];
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> and stamps last_update; null when the request is unknown.
    /// When <paramref name="change"/> throws, nothing changes, as when iTop does not save an object.
    /// </summary>
    public ItopRequestRecord? Update(int id, Func<ItopRequestRecord, DateTimeOffset, ItopRequestRecord> change)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_requests.TryGetValue(id, out var before))
            {
                return null;
            }

            var after = change(before, now) with { LastUpdate = now };
            _requests[id] = after;
            Save();
            return after;
        }
    }

    public ItopAttachmentRecord AddAttachment(Func<int, ItopAttachmentRecord> create)
    {
        lock (_gate)
        {
            var attachment = create(++_lastAttachmentId);
            _attachments.Add(attachment.Id, attachment);
            Save();
            return attachment;
        }
    }

    public ItopAttachmentRecord? FindAttachment(int id)
    {
        lock (_gate)
        {
            return _attachments.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<ItopAttachmentRecord> Attachments()
    {
        lock (_gate)
        {
            return [.. _attachments.Values];
        }
    }

    /// <summary>The Attachments of <paramref name="request"/>, oldest first.</summary>
    public IReadOnlyList<ItopAttachmentRecord> AttachmentsOf(ItopRequestRecord request)
    {
        lock (_gate)
        {
            return [.. _attachments.Values.Where(attachment => attachment.ItemClass == request.Class && attachment.ItemId == request.Id)];
        }
    }

    /// <summary>Forgets every request and attachment; keys start again at 1.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _attachments.Clear();
            _lastAttachmentId = 0;
            _lastId = 0;
            _refCounters.Clear();
            Save();
        }
    }

    /// <summary>The state file; attachments are absent from files written before the sandbox emulated them.</summary>
    private sealed record State(
        int LastId, List<ItopRequestRecord> Requests, int LastAttachmentId = 0, List<ItopAttachmentRecord>? Attachments = null, Dictionary<string, int>? RefCounters = null);

    private void Load()
    {
        if (_stateFile is null || !File.Exists(_stateFile))
        {
            return;
        }

        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(_stateFile), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Sandbox:Itop:StateFile {_stateFile} is empty.");
        foreach (var request in state.Requests)
        {
            _requests[request.Id] = request;
        }

        foreach (var attachment in state.Attachments ?? [])
        {
            _attachments[attachment.Id] = attachment;
        }

        foreach (var (className, counter) in state.RefCounters ?? [])
        {
            _refCounters[className] = counter;
        }

        _lastId = state.LastId;
        _lastAttachmentId = state.LastAttachmentId;
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
        File.WriteAllText(temporary, JsonSerializer.Serialize(new State(_lastId, [.. _requests.Values], _lastAttachmentId, [.. _attachments.Values], new Dictionary<string, int>(_refCounters)), JsonSerializerOptions.Web));
        File.Move(temporary, _stateFile, overwrite: true);
    }
}
