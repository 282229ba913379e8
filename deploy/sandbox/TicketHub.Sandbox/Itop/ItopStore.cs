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
    private readonly TimeProvider _clock;
    private readonly string? _stateFile;
    private int _lastId;

    public ItopStore(IOptions<ItopSandboxOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _stateFile = string.IsNullOrWhiteSpace(options.Value.StateFile) ? null : Path.GetFullPath(options.Value.StateFile);
        Load();
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Creates a request from the next key and the current time; <paramref name="create"/> may throw to refuse it.</summary>
    public ItopRequestRecord Add(Func<int, DateTimeOffset, ItopRequestRecord> create)
    {
        var now = Now;
        lock (_gate)
        {
            var request = create(_lastId + 1, now);
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

    /// <summary>Forgets every request; keys start again at 1.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _lastId = 0;
            Save();
        }
    }

    private sealed record State(int LastId, List<ItopRequestRecord> Requests);

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

        _lastId = state.LastId;
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
        File.WriteAllText(temporary, JsonSerializer.Serialize(new State(_lastId, [.. _requests.Values]), JsonSerializerOptions.Web));
        File.Move(temporary, _stateFile, overwrite: true);
    }
}
