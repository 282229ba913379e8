using TicketHub.Connectors.Shared.Attachments;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// GLPI in the shared pipeline (<see cref="ITicketDelivery"/>; the ledger protocol, the reclaim and
/// the documents are the pipeline's):
/// <list type="bullet">
/// <item>a ticket is looked up by its hub reference after an uncertain earlier attempt, where GLPI
/// keeps it (ADR 13: the title and description in GLPI 10, also <c>externalid</c> in GLPI 11; an
/// answer that cannot be read throws, and nothing is created), else POSTed with its requester
/// (never retried blindly: an unanswered POST is settled by the lookup next time); GLPI's refusal
/// (4xx business error) is an outcome, a server error or a timeout throws, after waiting as long as
/// GLPI asked (<c>Retry-After</c>);</item>
/// <item>the collège's comments and the hub's notes (<see cref="HubNote"/>: re-route, return,
/// duplicate) are public follow-ups, recorded in the same transaction (<see cref="HubFollowups"/>) so
/// that the sync never reports them back;</item>
/// <item>a duplicate's ticket is solved with a solution when the connector is set to close duplicates.</item>
/// </list>
/// </summary>
internal sealed partial class GlpiDelivery(
    IGlpiApi glpi,
    GlpiTicketMapper mapper,
    GlpiCapabilities capabilities,
    GlpiRequesters requesters,
    IOptions<GlpiOptions> options,
    TimeProvider clock,
    ILogger<GlpiDelivery> logger) : ITicketDelivery
{
    private const int SolvedStatus = 5;
    private const int ClosedStatus = 6;

    public async Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken)
    {
        var externalIdOption = await capabilities.ExternalIdOptionAsync(cancellationToken);
        if (attempt.IsRetry && await glpi.FindTicketByReferenceAsync(routed.Reference, externalIdOption, attempt.FirstAttemptAt, cancellationToken) is { } existing)
        {
            LogFoundFromEarlierAttempt(routed.Reference, existing);
            return Created(existing) with { FoundAfter = attempt.FirstAttemptAt };
        }

        var requester = await requesters.FindAsync(routed.Ticket.Requester.Email, cancellationToken);
        try
        {
            var input = mapper.Map(routed, requester, sendExternalId: externalIdOption is not null);
            var created = await glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), cancellationToken);
            LogCreated(routed.Reference, created.Id);
            return Created(created.Id);
        }
        catch (ApiException ex)
        {
            var error = GlpiError.From(ex.StatusCode, ex.Content);
            if (!error.IsRefusal)
            {
                LogCreationFailed(routed.Reference, (int)error.Status, error.Code, error.Message);
                await RetryAfter.WaitAsAskedAsync(ex, clock, delay => LogWaitingAsAsked(routed.Reference, delay.TotalSeconds), cancellationToken);
                throw new GlpiException($"GLPI could not create ticket {routed.Reference}: {error}", error, ex);
            }

            LogCreationRefused(routed.Reference, (int)error.Status, error.Code, error.Message);
            return new DeliveryOutcome.Refused($"GLPI a refusé le ticket (HTTP {(int)error.Status} {error.Code}) : {error.Message}");
        }
    }

    public async Task AddCommentAsync(TicketCommentAdded comment, string externalId, CancellationToken cancellationToken)
    {
        var glpiId = GlpiId(externalId);
        if (await HubFollowups.FindByCommentAsync(comment.CommentId, cancellationToken) is { } existing)
        {
            LogAlreadyPosted(comment.Reference, comment.CommentId, existing);
            return;
        }

        int followupId;
        try
        {
            followupId = await AddFollowupAsync(glpiId, CommentContent(comment), cancellationToken);
        }
        catch (ApiException ex)
        {
            var error = GlpiError.From(ex.StatusCode, ex.Content);
            if (!error.IsRefusal)
            {
                throw new GlpiException($"GLPI could not add comment {comment.CommentId} to ticket {glpiId}: {error}", error, ex);
            }

            // A closed or deleted ticket, missing rights: sending it again will not help.
            LogCommentRefused(comment.Reference, glpiId, error.ToString());
            return;
        }

        await HubFollowups.RecordAsync(followupId, comment.TicketId, comment.CommentId, clock.GetUtcNow(), cancellationToken);
        LogCommentPosted(comment.CommentId, comment.Reference, glpiId, followupId);
    }

    public async Task AddNoteAsync(HubNote note, string externalId, CancellationToken cancellationToken)
    {
        var glpiId = GlpiId(externalId);
        int followupId;
        try
        {
            followupId = await AddFollowupAsync(glpiId, ToolHtml.FromPlainText(note.Text), cancellationToken);
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && note.MayFindTicketGone)
        {
            LogTicketGone(note.Reference, glpiId, note.Subject);
            return;
        }

        // The note is the hub's own follow-up: never to be reported back as a reply.
        await HubFollowups.RecordAsync(followupId, note.TicketId, null, clock.GetUtcNow(), cancellationToken);
        LogNoteAdded(note.Subject, note.Reference, glpiId, followupId);
    }

    /// <summary>
    /// A solution (ITILSolution), which GLPI turns into status 5 (solved); GLPI then closes the ticket
    /// by its own rules (the requester's approval, the entity's delay). The ticket is read first: one
    /// already solved or closed keeps the technician's solution, and GLPI 10 would file a solution
    /// for a ticket that no longer exists (201) where it answers the read with 404. Any refusal (4xx)
    /// is logged and the ticket left as it is.
    /// </summary>
    public async Task SolveAsync(Guid ticketId, string reference, string externalId, string solution, CancellationToken cancellationToken)
    {
        var glpiId = GlpiId(externalId);
        try
        {
            var status = (await glpi.GetTicketAsync(glpiId, cancellationToken)).Status;
            if (status is SolvedStatus or ClosedStatus)
            {
                LogAlreadySolved(reference, glpiId, status);
                return;
            }

            var input = new GlpiTimelineInput { ItemId = glpiId, Content = ToolHtml.FromPlainText(solution) };
            var created = await glpi.AddSolutionAsync(glpiId, new GlpiInput<GlpiTimelineInput>(input), cancellationToken);
            LogSolved(reference, glpiId, created.Id);
        }
        catch (ApiException ex)
        {
            var error = GlpiError.From(ex.StatusCode, ex.Content);
            if (!error.IsRefusal)
            {
                throw new GlpiException($"GLPI could not solve ticket {glpiId} ({reference}): {error}", error, ex);
            }

            LogSolutionRefused(reference, glpiId, error.ToString());
        }
    }

    /// <summary>"Message du collège (Claire Martin) :" (or the Pôle TIE's, or a visit's: <see cref="CommentHeading"/>) then the text as typed, its paragraphs kept, every character encoded (<see cref="ToolHtml"/>).</summary>
    public static string CommentContent(TicketCommentAdded comment) =>
        $"<p><strong>{ToolHtml.Encode(CommentHeading.Of(comment))}</strong> :</p>{ToolHtml.FromPlainText(comment.Text)}"
        + (CommentFiles.Line(comment.Attachments) is { } files ? $"<p><em>{ToolHtml.Encode(files)}</em></p>" : "");

    private async Task<int> AddFollowupAsync(int glpiId, string content, CancellationToken cancellationToken) =>
        (await glpi.AddFollowupAsync(glpiId, new GlpiInput<GlpiFollowupInput>(new GlpiFollowupInput { ItemId = glpiId, Content = content }), cancellationToken)).Id;

    private DeliveryOutcome.Created Created(int glpiId) =>
        new(glpiId.ToString(CultureInfo.InvariantCulture), options.Value.TicketLink(glpiId), null, null);

    private static int GlpiId(string externalId) => int.Parse(externalId, NumberStyles.None, CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} was created in GLPI as {GlpiId} by an earlier attempt; reusing it")]
    private partial void LogFoundFromEarlierAttempt(string reference, int glpiId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} created in GLPI as {GlpiId}")]
    private partial void LogCreated(string reference, int glpiId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI refused ticket {Reference}: HTTP {Status} {GlpiCode} {GlpiMessage}")]
    private partial void LogCreationRefused(string reference, int status, string glpiCode, string glpiMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI asked to wait before ticket {Reference} is sent again (Retry-After): waiting {Seconds} s")]
    private partial void LogWaitingAsAsked(string reference, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI failed on ticket {Reference}, will retry: HTTP {Status} {GlpiCode} {GlpiMessage}")]
    private partial void LogCreationFailed(string reference, int status, string glpiCode, string glpiMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} of ticket {Reference} added to GLPI ticket {GlpiId} as follow-up {FollowupId}")]
    private partial void LogCommentPosted(Guid commentId, string reference, int glpiId, int followupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} of ticket {Reference} is already follow-up {FollowupId} in GLPI; nothing to do")]
    private partial void LogAlreadyPosted(string reference, Guid commentId, int followupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI refused comment of ticket {Reference} on its ticket {GlpiId}: {GlpiError}")]
    private partial void LogCommentRefused(string reference, int glpiId, string glpiError);

    [LoggerMessage(Level = LogLevel.Information, Message = "Note '{Subject}' of ticket {Reference} added to GLPI ticket {GlpiId} as follow-up {FollowupId}")]
    private partial void LogNoteAdded(string subject, string reference, int glpiId, int followupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI ticket {GlpiId} of ticket {Reference} no longer exists: note '{Subject}' not added")]
    private partial void LogTicketGone(string reference, int glpiId, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} closed as a duplicate: GLPI ticket {GlpiId} solved (solution {SolutionId})")]
    private partial void LogSolved(string reference, int glpiId, int solutionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} closed as a duplicate: GLPI ticket {GlpiId} is already solved or closed (status {Status}); left as it is")]
    private partial void LogAlreadySolved(string reference, int glpiId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI refused to solve its ticket {GlpiId} of duplicate {Reference} ({GlpiError}); the note stays, the ticket is left as it is")]
    private partial void LogSolutionRefused(string reference, int glpiId, string glpiError);
}

/// <summary>
/// GLPI's sync follows a ticket from its creation: its columns are set in the transaction that records
/// it. A ticket found after an attempt that died may have been changed since by a technician, before
/// the search's cursor: the cursor goes back to before that attempt, and the next search reads those
/// changes (the others it reads again are recognised by their stored state, never reported twice).
/// </summary>
internal sealed class GlpiSyncStart(SyncStore store, IOptions<GlpiOptions> options) : ISyncStart
{
    public async Task StartAsync(Guid ticketId, DeliveryOutcome.Created created, CancellationToken cancellationToken)
    {
        await SyncStore.StartAsync(ticketId, cancellationToken);
        if (created.FoundAfter is { } attempted)
        {
            await store.RewindCursorAsync(GlpiApiExtensions.ToGlpiDate(attempted - GlpiCursor.ClockSkewAllowance, options.Value.FindTimeZone()), cancellationToken);
        }
    }
}
