using System.Globalization;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>What one poll did.</summary>
/// <param name="Searched">False when nothing was open to follow: GLPI was not called.</param>
internal sealed record SyncPoll(bool Searched, int Pages, int Rows, int Updates)
{
    public static SyncPoll NothingToFollow { get; } = new(false, 0, 0, 0);
}

/// <summary>
/// Brings back to the hub what happens in GLPI to the tickets the hub created there, as
/// <see cref="ExternalTicketUpdated"/>: status changes, technicians' public follow-ups, solutions.
/// One poll:
/// <list type="number">
/// <item>nothing open to follow (no ticket created and still held, or all closed): GLPI is not called;</item>
/// <item>search the tickets whose date_mod is at or after the cursor (<see cref="GlpiCursor"/>),
/// oldest first, page after page (<c>range</c>; 206 and <c>Content-Range</c> while more follow);</item>
/// <item>compare each of the hub's tickets with what was last seen of it: its status; its follow-up
/// count (the follow-ups are read only when it moved); its solutions, when solved and changed;</item>
/// <item>per page, save the new state of each ticket and enqueue its updates in one transaction:
/// a change is reported once, and a crash before the commit reports it at the next poll;</item>
/// <item>move the cursor on (<see cref="GlpiCursor.Next"/>): past the rows read, less an overlap by GLPI's clock.</item>
/// </list>
/// Follow-ups the hub wrote (<see cref="HubFollowups"/>) or that its API account wrote are never
/// reported (echo suppression); private ones are the technicians' own.
/// </summary>
internal sealed partial class GlpiStatusSync(
    IGlpiApi glpi,
    SyncStore store,
    GlpiPeople people,
    GlpiCapabilities capabilities,
    IOptions<GlpiOptions> options,
    TimeProvider clock,
    ILogger<GlpiStatusSync> logger)
{
    private const string TechnicianRole = "technician";
    private const int Solved = 5;
    private const int Closed = 6;

    public async Task<SyncPoll> PollOnceAsync(CancellationToken cancellationToken)
    {
        var summary = await store.SummaryAsync(cancellationToken);
        if (summary.OpenTickets == 0 || summary.OldestCreatedAt is not { } oldest)
        {
            return SyncPoll.NothingToFollow;
        }

        var zone = options.Value.FindTimeZone();
        var settings = options.Value.Sync;
        var cursor = GlpiCursor.Start(summary.Cursor, oldest, zone);
        var since = GlpiCursor.SearchFrom(cursor, zone);
        var glpiNow = clock.GetUtcNow();
        var externalIdOption = await capabilities.ExternalIdOptionAsync(cancellationToken);
        var seen = new HashSet<int>();
        var mostReported = 0;
        string? newest = null;
        var pages = 0;
        var updates = 0;
        for (var start = 0; ; start += settings.PageSize)
        {
            var page = await glpi.SearchTicketsModifiedSinceAsync(since, start, settings.PageSize, externalIdOption, cancellationToken);
            if (start == 0 && page.ServerTime is { } serverTime)
            {
                // GLPI's clock, not ours, says which seconds are settled.
                glpiNow = serverTime;
            }

            pages++;
            mostReported = Math.Max(mostReported, page.Total);
            foreach (var row in page.Rows)
            {
                seen.Add(row.Id);
                newest = GlpiCursor.Later(newest, row.DateMod);
            }

            updates += await SyncPageAsync(page.Rows, zone, cancellationToken);
            if (!page.HasMore)
            {
                break;
            }
        }

        // Paging by offset over rows that move while they are read (a ticket changed meanwhile
        // jumps to the end) can skip one: then fewer distinct rows were seen than GLPI reported,
        // and the cursor stays where it was so that the next poll reads them all again.
        var next = seen.Count >= mostReported ? GlpiCursor.Next(cursor, newest, glpiNow, settings.Overlap, zone) : cursor;
        if (next != summary.Cursor)
        {
            await store.SaveCursorAsync(next, cancellationToken);
        }

        if (updates > 0)
        {
            LogPublished(updates, seen.Count, pages);
        }

        return new SyncPoll(true, pages, seen.Count, updates);
    }

    private async Task<int> SyncPageAsync(IReadOnlyList<GlpiSearchRow> rows, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var followed = await store.FollowedAsync(rows.Select(row => row.Id), cancellationToken);
        var changes = new List<TicketSync>();
        foreach (var row in rows)
        {
            if (!followed.TryGetValue(row.Id, out var ticket))
            {
                continue;
            }

            if (row.ExternalId is { } externalId && externalId != ticket.Reference)
            {
                // The GLPI id no longer designates the hub's ticket (GLPI restored from a backup...);
                // known only where GLPI has externalid (GLPI 11): a title can be edited by a technician.
                LogNotTheHubsTicket(row.Id, externalId, ticket.Reference);
                continue;
            }

            if (await CompareAsync(row, ticket, zone, cancellationToken) is { } change)
            {
                changes.Add(change);
            }
        }

        return await store.SaveAsync(changes, cancellationToken);
    }

    /// <summary>What changed in <paramref name="row"/> since <paramref name="ticket"/> was saved, or null when nothing did.</summary>
    private async Task<TicketSync?> CompareAsync(GlpiSearchRow row, FollowedTicket ticket, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var dateMoved = row.DateMod != ticket.GlpiDateMod;
        var statusMoved = row.Status != ticket.GlpiStatus;
        var replies = new List<ExternalTicketUpdated>();
        var after = ticket with { GlpiStatus = row.Status, GlpiDateMod = row.DateMod };

        // GLPI's count says whether there is anything new to read; without it, any change might be one.
        if (row.FollowupCount is { } count ? count != ticket.FollowupCount : dateMoved)
        {
            var (followupReplies, lastFollowupId, visible) = await NewFollowupsAsync(row, ticket, zone, cancellationToken);
            replies.AddRange(followupReplies);
            after = after with { LastFollowupId = lastFollowupId, FollowupCount = row.FollowupCount ?? visible };
        }

        // A solution comes with status 5; one refused then replaced between two polls leaves the
        // status at 5 but moves date_mod.
        if (row.Status is Solved or Closed && (statusMoved || dateMoved))
        {
            var (solutionReplies, lastSolutionId) = await NewSolutionsAsync(row, ticket, zone, cancellationToken);
            replies.AddRange(solutionReplies);
            after = after with { LastSolutionId = lastSolutionId };
        }

        var updates = replies.OrderBy(reply => reply.ExternalTimestamp).ToList();
        if (statusMoved)
        {
            if (options.Value.HubStatusOf(row.Status) is { } status)
            {
                var at = GlpiApiExtensions.FromGlpiDate(row.DateMod, zone);
                updates.Add(new ExternalTicketUpdated(
                    ticket.TicketId, ticket.Reference, ExternalTools.Glpi, ticket.ExternalId,
                    Status: status,
                    ExternalStatus: row.Status.ToString(CultureInfo.InvariantCulture),
                    ReplyText: null,
                    AuthorRole: null,
                    AuthorName: null,
                    ExternalTimestamp: at,
                    // The status is part of the id: two changes within GLPI's second (a technician assigns,
                    // then solves) share their date_mod, and intake keeps one event per id.
                    ExternalEventId: string.Create(CultureInfo.InvariantCulture, $"status:{row.Id}:{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}:{row.Status}")));
            }
            else
            {
                LogUnmappedStatus(row.Id, row.Status);
            }
        }

        return after == ticket ? null : new TicketSync(ticket, after, updates);
    }

    /// <summary>Public follow-ups written since the last one handled, by someone other than the hub.</summary>
    private async Task<(List<ExternalTicketUpdated> Replies, int? LastFollowupId, int? Visible)> NewFollowupsAsync(
        GlpiSearchRow row, FollowedTicket ticket, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        List<GlpiFollowup> followups;
        try
        {
            followups = await glpi.GetAllFollowupsAsync(row.Id, cancellationToken);
        }
        catch (ApiException ex) when (GlpiError.From(ex.StatusCode, ex.Content).IsRefusal)
        {
            LogUnreadable("follow-ups", row.Id, GlpiError.From(ex.StatusCode, ex.Content).ToString());
            return ([], ticket.LastFollowupId, null);
        }

        var unseen = followups.Where(followup => followup.Id > (ticket.LastFollowupId ?? 0)).OrderBy(followup => followup.Id).ToList();
        if (unseen.Count == 0)
        {
            return ([], ticket.LastFollowupId, followups.Count);
        }

        var hubs = await store.HubFollowupIdsAsync(ticket.TicketId, cancellationToken);
        var replies = new List<ExternalTicketUpdated>();
        foreach (var followup in unseen)
        {
            if (followup.IsPrivate != 0)
            {
                continue;
            }

            if (hubs.Contains(followup.Id) || followup.UserId == await people.ApiUserIdAsync(cancellationToken))
            {
                LogOwnFollowupSkipped(followup.Id, row.Id);
                continue;
            }

            var text = GlpiText.ToPlainText(followup.Content);
            if (text.Length > 0)
            {
                replies.Add(Reply(ticket, text, await people.NameAsync(followup.UserId, cancellationToken),
                    At(followup.Date, row, zone), $"followup:{followup.Id.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        return (replies, unseen[^1].Id, followups.Count);
    }

    /// <summary>Solutions given since the last one reported.</summary>
    private async Task<(List<ExternalTicketUpdated> Replies, int? LastSolutionId)> NewSolutionsAsync(
        GlpiSearchRow row, FollowedTicket ticket, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        List<GlpiSolution> solutions;
        try
        {
            solutions = await glpi.GetAllSolutionsAsync(row.Id, cancellationToken);
        }
        catch (ApiException ex) when (GlpiError.From(ex.StatusCode, ex.Content).IsRefusal)
        {
            LogUnreadable("solutions", row.Id, GlpiError.From(ex.StatusCode, ex.Content).ToString());
            return ([], ticket.LastSolutionId);
        }

        var replies = new List<ExternalTicketUpdated>();
        var lastSolutionId = ticket.LastSolutionId;
        foreach (var solution in solutions.Where(solution => solution.Id > (ticket.LastSolutionId ?? 0)).OrderBy(solution => solution.Id))
        {
            lastSolutionId = solution.Id;
            var text = GlpiText.ToPlainText(solution.Content);
            if (text.Length > 0)
            {
                replies.Add(Reply(ticket, text, await people.NameAsync(solution.UserId, cancellationToken),
                    At(solution.DateCreation, row, zone), $"solution:{solution.Id.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        return (replies, lastSolutionId);
    }

    private static ExternalTicketUpdated Reply(FollowedTicket ticket, string text, string? authorName, DateTimeOffset at, string eventId) =>
        new(ticket.TicketId, ticket.Reference, ExternalTools.Glpi, ticket.ExternalId,
            Status: null,
            ExternalStatus: null,
            ReplyText: text,
            AuthorRole: TechnicianRole,
            AuthorName: authorName,
            ExternalTimestamp: at,
            ExternalEventId: eventId);

    /// <summary>When a follow-up or solution was written; the ticket's date_mod if GLPI left it out.</summary>
    private static DateTimeOffset At(string? glpiDate, GlpiSearchRow row, TimeZoneInfo zone) =>
        GlpiApiExtensions.FromGlpiDate(string.IsNullOrEmpty(glpiDate) ? row.DateMod : glpiDate, zone);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI sync: {Updates} update(s) sent to the hub from {Rows} changed ticket(s) read in {Pages} page(s)")]
    private partial void LogPublished(int updates, int rows, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI ticket {GlpiId} now carries externalid '{ExternalId}', not the hub's {Reference}: its changes are not reported")]
    private partial void LogNotTheHubsTicket(int glpiId, string externalId, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI status {Status} of ticket {GlpiId} has no hub status in Glpi:StatusMapping; not reported")]
    private partial void LogUnmappedStatus(int glpiId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI refused to list the {What} of ticket {GlpiId} ({GlpiError}); they are not reported")]
    private partial void LogUnreadable(string what, int glpiId, string glpiError);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Follow-up {FollowupId} of GLPI ticket {GlpiId} was written by the hub: not sent back")]
    private partial void LogOwnFollowupSkipped(int followupId, int glpiId);
}
