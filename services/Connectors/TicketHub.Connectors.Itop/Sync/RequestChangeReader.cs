using System.Globalization;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Sync;

/// <summary>What changed in one request since the sync last saw it, as the hub's events.</summary>
internal sealed record RequestChanges(IReadOnlyList<ExternalTicketUpdated> Updates, RequestState State, bool Changed, string? UnmappedStatus);

/// <summary>
/// Compares a request as iTop returns it with what the sync last saw of it: a new status becomes
/// one <see cref="ExternalTicketUpdated"/> (the solution text with it when resolved), each new
/// public log entry another, except the entries the hub wrote itself. Event ids are stable
/// (<c>status:{key}:{last_update}:{status}</c>, <c>log:{key}:{entry index}</c>; entries are only
/// ever appended), so reading the same change twice publishes the same event, which intake applies once.
/// The collège reads plain text: the solution (HTML in iTop 3) and each entry's <c>message_html</c>
/// (preferred to iTop's own <c>message</c>, which loses the lists' markers) go through <see cref="ToolHtml.ToPlainText"/>.
/// </summary>
internal sealed class RequestChangeReader(IOptions<ItopOptions> options, ItopDates dates)
{
    public const string ClosedStatus = "closed";

    /// <param name="isHubEntry">Whether the entry at an index, by a user id, was written by the hub.</param>
    public RequestChanges Read(FollowedRequest known, ItopObject seen, Func<int, string?, bool> isHubEntry)
    {
        var fields = seen.Fields;
        var key = seen.Key.ToString(CultureInfo.InvariantCulture);
        var updates = new List<(DateTimeOffset At, int Order, ExternalTicketUpdated Update)>();
        if (!dates.TryFromItop(fields.LastUpdate, out var lastUpdate))
        {
            throw new FormatException($"iTop request {key} has a last_update '{fields.LastUpdate}' that is not '{ItopDates.Format}'.");
        }

        var entries = fields.PublicLog?.Entries;
        for (var index = known.LogEntries; entries is not null && index < entries.Count; index++)
        {
            var entry = entries[index];
            var text = TextOf(entry);
            if (isHubEntry(index, entry.UserId) || string.IsNullOrEmpty(text))
            {
                continue;
            }

            var at = dates.TryFromItop(entry.Date, out var date) ? date : lastUpdate;
            updates.Add((at, 0, Update(known, key, status: null, externalStatus: null, text, "technician", entry.UserLogin, at,
                string.Create(CultureInfo.InvariantCulture, $"log:{key}:{index}"))));
        }

        string? unmapped = null;
        if (fields.Status is { } status && status != known.Status)
        {
            if (options.Value.StatusMapping.TryGetValue(status, out var hubStatus))
            {
                var solution = hubStatus == HubStatuses.Resolved && ToolHtml.ToPlainText(fields.Solution) is { Length: > 0 } text ? text : null;
                updates.Add((lastUpdate, 1, Update(known, key, hubStatus, status, solution, solution is null ? null : "technician", null, lastUpdate,
                    $"status:{key}:{fields.LastUpdate}:{status}")));
            }
            else
            {
                unmapped = status;
            }
        }

        var state = new RequestState(
            known.TicketId,
            fields.Status ?? known.Status,
            fields.LastUpdate,
            entries?.Count ?? known.LogEntries,
            Closed: fields.Status == ClosedStatus);
        var changed = state.Status != known.Status || state.LastUpdate != known.LastUpdate || state.LogEntries != known.LogEntries;
        return new RequestChanges([.. updates.OrderBy(update => update.At).ThenBy(update => update.Order).Select(update => update.Update)], state, changed, unmapped);
    }

    /// <summary>An entry as the collège reads it: its HTML as plain text, or iTop's text when there is no HTML.</summary>
    public static string TextOf(ItopCaseLogEntry entry) =>
        string.IsNullOrWhiteSpace(entry.MessageHtml) ? entry.Message?.Trim() ?? "" : ToolHtml.ToPlainText(entry.MessageHtml);

    private static ExternalTicketUpdated Update(
        FollowedRequest known, string key, string? status, string? externalStatus, string? text, string? role, string? author, DateTimeOffset at, string eventId) =>
        new(known.TicketId, known.Reference, ExternalTools.Itop, key, status, externalStatus, text, role, author, at, eventId);
}
