using Microsoft.Extensions.Options;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Itop.Sync;

/// <summary>
/// Brings iTop's status changes and public replies back to the hub by polling (iTop has no webhooks
/// in its REST API). Every <c>Itop:Sync:Interval</c>: one <c>core/get</c> per batch of the
/// tickets the hub follows, per class, <c>SELECT UserRequest|Incident WHERE id IN (…) AND last_update &gt;= '…'</c>,
/// the date in iTop's local time; what changed becomes <c>ExternalTicketUpdated</c> events, enqueued
/// in the transaction that moves the cursor. iTop down: the poll fails, is logged, and the next one
/// starts from the same cursor; nothing is lost.
/// </summary>
internal sealed partial class StatusSync(
    ItopClient itop,
    SyncStore store,
    RequestChangeReader reader,
    ItopDates dates,
    PublicLogGate gate,
    UnitOfWork units,
    IOutbox outbox,
    IOptions<ItopOptions> options,
    DatabaseLeases leases,
    TimeProvider clock,
    ILogger<StatusSync> logger) : BackgroundService
{
    /// <summary>
    /// How far before the cursor each poll reads again. iTop stamps last_update to the second and
    /// before its transaction commits, so a change can become visible with a date slightly older
    /// than one already read; what is read twice is recognised and published once.
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Polls every interval, failing or not (no backoff). A failure is logged the first time and then
    /// every 30th, so that hours of iTop downtime do not drown the log; the next poll starts again
    /// from the same cursor.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(
            SyncOnceAsync,
            new PollingSchedule(options.Value.Sync.Interval, MaxBackoff: options.Value.Sync.Interval),
            failed: (exception, failures, _) =>
            {
                if (failures == 1 || failures % 30 == 0)
                {
                    LogSyncFailed(exception, failures);
                }
            },
            recovered: LogRecovered,
            clock,
            stoppingToken,
            PollingLease.ForReplicas(leases, "sync:itop"));

    /// <summary>One poll: reads what changed in iTop and publishes it.</summary>
    /// <returns>The number of events enqueued.</returns>
    public async Task<int> SyncOnceAsync(CancellationToken cancellationToken)
    {
        var followed = await store.FollowedAsync(cancellationToken);
        if (followed.Count == 0)
        {
            return 0;
        }

        var cursor = await store.CursorAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var since = cursor is { } last ? dates.LowerBound(last - Overlap, now) : null;
        var seen = new List<ItopObject>();
        var batchSize = options.Value.Sync.BatchSize;
        // Requests read at least once are asked for only if they changed; the others (found by a
        // lookup after an uncertain creation) are read whole once.
        // One query per class (UserRequest, Incident): each has its own lifecycle and attributes.
        foreach (var ofClass in followed.GroupBy(request => request.Class).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            foreach (var batch in ofClass.Where(request => request.LastUpdate is not null).Chunk(batchSize))
            {
                seen.AddRange(await itop.GetTicketsAsync(ofClass.Key, Oql.AmongChangedSince(ofClass.Key, batch.Select(request => request.ItopId), since), ItopClient.SyncFields, cancellationToken));
            }

            foreach (var batch in ofClass.Where(request => request.LastUpdate is null).Chunk(batchSize))
            {
                seen.AddRange(await itop.GetTicketsAsync(ofClass.Key, Oql.AmongChangedSince(ofClass.Key, batch.Select(request => request.ItopId), null), ItopClient.SyncFields, cancellationToken));
            }
        }

        if (seen.Count == 0)
        {
            return 0;
        }

        var published = 0;
        using (await gate.EnterAsync(cancellationToken))
        {
            await units.RunAsync(async () =>
            {
                var transaction = UnitOfWork.Current;
                var connection = transaction.Connection!;
                // Read again under the gate: a comment or a re-route may have been handled meanwhile.
                var known = (await SyncStore.FollowedAsync(connection, transaction, cancellationToken)).ToDictionary(request => request.ItopId);
                var hubUsers = await SyncStore.HubUsersAsync(cancellationToken);
                var newest = cursor;
                foreach (var request in seen)
                {
                    if (!known.TryGetValue(request.Key, out var before))
                    {
                        continue;
                    }

                    var hubEntries = (request.Fields.PublicLog?.Entries.Count ?? 0) > before.LogEntries
                        ? await SyncStore.HubEntriesAsync(before.TicketId, cancellationToken)
                        : new HashSet<int>();
                    RequestChanges changes;
                    try
                    {
                        changes = reader.Read(before, request, (index, userId) => hubEntries.Contains(index) || (userId is not null && hubUsers.Contains(userId)));
                    }
                    catch (FormatException ex)
                    {
                        LogUnreadable(before.Reference, request.Key, ex.Message);
                        continue;
                    }

                    if (changes.UnmappedStatus is { } unmapped && unmapped != before.Status)
                    {
                        LogUnmappedStatus(before.Reference, request.Key, unmapped);
                    }

                    foreach (var update in changes.Updates)
                    {
                        await outbox.EnqueueAsync(update, cancellationToken);
                        published++;
                    }

                    if (changes.Changed)
                    {
                        await store.SaveAsync(changes.State, cancellationToken);
                    }

                    if (dates.TryFromItop(request.Fields.LastUpdate, out var lastUpdate) && (newest is null || lastUpdate > newest))
                    {
                        newest = lastUpdate;
                    }
                }

                // Never ahead of this clock: a cursor in the future (iTop's clock ahead, or a date read
                // in the hour repeated in autumn) would hide changes made meanwhile.
                if (newest is { } moved && moved != cursor)
                {
                    await store.MoveCursorAsync(moved < now ? moved : now, cancellationToken);
                }
            }, cancellationToken);
        }

        if (published > 0)
        {
            LogPublished(published, seen.Count);
        }

        return published;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "iTop sync: {Published} update(s) published from {Requests} changed request(s)")]
    private partial void LogPublished(int published, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop sync failed ({Failures} poll(s) in a row); retrying at the next interval")]
    private partial void LogSyncFailed(Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "iTop sync works again after {Failures} failed poll(s)")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Reference}: iTop request {ItopId} could not be read and is skipped: {Problem}")]
    private partial void LogUnreadable(string reference, int itopId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Reference}: iTop request {ItopId} is in status '{ItopStatus}', which Itop:StatusMapping does not map; not published")]
    private partial void LogUnmappedStatus(string reference, int itopId, string itopStatus);
}
