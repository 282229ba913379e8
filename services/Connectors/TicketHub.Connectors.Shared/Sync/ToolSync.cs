using System.Globalization;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Api;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Sync;

/// <summary>
/// One read of the tool's changed tickets (http mode): every page of <c>GET /tickets?updatedSince=</c>
/// from the stored cursor minus the overlap. For each ticket the hub follows, a new status and each
/// new public message from the tool become <see cref="ExternalTicketUpdated"/> events, committed with
/// what the sync saw, in one transaction per ticket: a change is neither lost nor reported twice, and
/// the hub's own messages are never reported back.
/// </summary>
internal sealed partial class ToolSync(
    IToolApi api,
    ToolSyncStore store,
    KnownMessages known,
    SyncCursor cursor,
    IDbConnectionFactory connections,
    UnitOfWork units,
    IOutbox outbox,
    IOptions<ToolOptions> options,
    ToolDescriptor tool,
    TimeProvider clock,
    ILogger<ToolSync> logger)
{
    /// <summary>Reads and reports the changes; returns how many events it published.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        if (await store.CountFollowedAsync(cancellationToken) == 0)
        {
            return 0;
        }

        (DateTimeOffset Since, DateTimeOffset? MovedAt)? stored;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            stored = await cursor.ReadAsync(connection, cancellationToken);
        }

        if (stored is not { } from)
        {
            return 0;
        }

        var settings = options.Value.Sync;
        var since = (from.Since - OverlapAfter(from.MovedAt, settings.Overlap)).ToUniversalTime()
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var published = 0;
        var latest = from.Since;
        string? next = null;
        do
        {
            var page = await api.ListUpdatedSinceAsync(since, next, settings.PageSize, cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                published += await ApplyAsync(item, cancellationToken);
                if (item.UpdatedAt > latest)
                {
                    latest = item.UpdatedAt;
                }
            }

            next = page.Next;
        }
        while (next is not null);

        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await cursor.MoveAsync(connection, latest, cancellationToken);
        }

        // A ticket found in the tool after a connector died between creating it and recording it
        // may have changed meanwhile, before the cursor: read it on its own, once.
        foreach (var externalId in await store.NeverSeenAsync(cancellationToken))
        {
            published += await ApplyAsync(await api.GetTicketAsync(externalId, cancellationToken), cancellationToken);
        }

        return published;
    }

    /// <summary>
    /// A tool may stamp a change with the time its request started and commit it later, behind the
    /// cursor: each read goes back by the overlap to catch it. Such a change is committed within the
    /// overlap of its stamp, and the stamp is no later than the moment the hub saw the cursor; so
    /// once the cursor has stood still for longer than the overlap, reading from the cursor itself
    /// misses nothing, and the same rows are not read again and again.
    /// </summary>
    private TimeSpan OverlapAfter(DateTimeOffset? cursorMovedAt, TimeSpan overlap) =>
        cursorMovedAt is { } moved && clock.GetUtcNow() - moved > overlap ? TimeSpan.Zero : overlap;

    private async Task<int> ApplyAsync(ToolTicket item, CancellationToken cancellationToken)
    {
        return await units.RunAsync(async () =>
        {
            var followed = await store.FindFollowedAsync(item.Id, cancellationToken);
            if (followed is null || (followed.ToolUpdatedAt is { } seen && item.UpdatedAt <= seen && item.Status == followed.ToolStatus))
            {
                return 0;
            }

            var published = 0;
            if (!string.Equals(item.Status, followed.ToolStatus, StringComparison.Ordinal))
            {
                var status = options.Value.HubStatusOf(item.Status);
                if (status is null)
                {
                    LogUnmappedStatus(tool.DisplayName, item.Status, followed.Reference);
                }
                else
                {
                    await outbox.EnqueueAsync(new ExternalTicketUpdated(
                        followed.TicketId, followed.Reference, tool.Tool, item.Id, status, item.Status, null, null, null,
                        item.UpdatedAt, $"status:{item.Status}:{item.UpdatedAt.ToUniversalTime():O}"), cancellationToken);
                    published++;
                }
            }

            var messages = item.Messages ?? (await api.GetTicketAsync(item.Id, cancellationToken)).Messages ?? [];
            foreach (var message in messages.OrderBy(m => m.CreatedAt))
            {
                if (!message.Public || message.HubMessageId is not null || message.AuthorRole == "hub")
                {
                    continue;
                }

                if (await known.RecordAsync(followed.TicketId, message.Id, KnownMessages.FromTool, cancellationToken))
                {
                    await outbox.EnqueueAsync(new ExternalTicketUpdated(
                        followed.TicketId, followed.Reference, tool.Tool, item.Id, null, null, message.Body,
                        message.AuthorRole == "requester" ? "requester" : "technician", message.AuthorName,
                        message.CreatedAt, $"message:{message.Id}"), cancellationToken);
                    published++;
                }
            }

            await store.UpdateSyncStateAsync(followed.TicketId, item.Status, item.UpdatedAt, cancellationToken);
            return published;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} status '{Status}' of ticket {Reference} has no hub status in the StatusMapping; not reported")]
    private partial void LogUnmappedStatus(string tool, string status, string reference);
}
