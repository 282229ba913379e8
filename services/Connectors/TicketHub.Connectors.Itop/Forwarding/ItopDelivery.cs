using TicketHub.Connectors.Shared.Attachments;
using System.Globalization;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// iTop in the shared pipeline (<see cref="ITicketDelivery"/>; the ledger protocol, the reclaim and
/// the Attachments are the pipeline's):
/// <list type="bullet">
/// <item>a ticket is looked up by the reference in its description after an uncertain earlier
/// attempt (core/get on the parent class Ticket, so that an Incident is found as well as a
/// UserRequest; only tickets started since the hub received it, and whose description carries its
/// id: references restart with a new hub; a lookup that fails or cannot be read throws
/// <see cref="ItopLookupException"/>, never "not found"), else core/create'd as an Incident or a
/// UserRequest (<see cref="ItopTicketClasses"/>), never retried blindly; iTop's refusal (a non-zero
/// <c>code</c>, even in an HTTP 200) is an outcome, a transport or server error throws, after waiting
/// as long as iTop asked (<c>Retry-After</c>);</item>
/// <item>the collège's comments and the hub's notes (<see cref="HubNote"/>: re-route, return,
/// duplicate) are public-log entries, written under <see cref="PublicLogGate"/> and recorded as the
/// hub's in the same transaction, so that the sync never reports them back;</item>
/// <item>a duplicate's ticket is resolved with a solution when the connector is set to close duplicates.</item>
/// </list>
/// </summary>
internal sealed partial class ItopDelivery(
    ItopClient itop,
    ItopTicketMapper mapper,
    ItopDates dates,
    PublicLogWriter publicLog,
    PublicLogGate gate,
    IOptions<ItopOptions> options,
    TimeProvider clock,
    ILogger<ItopDelivery> logger) : ITicketDelivery
{
    private const string ResolvedStatus = "resolved";
    private const string ClosedStatus = "closed";

    /// <summary>How far before the hub received a ticket its iTop ticket is searched for: clocks differ.</summary>
    public static readonly TimeSpan LookupClockMargin = TimeSpan.FromHours(1);

    public async Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            if (attempt.IsRetry && await FindByReferenceAsync(routed, cancellationToken) is { } existing)
            {
                var found = new ItopTicketRef(existing.Class!, existing.Key);
                LogFoundFromEarlierAttempt(routed.Reference, found.ToString());
                // Found, not created: the sync reads it once in full and publishes where it stands.
                return Created(found, status: null, lastUpdate: null);
            }

            var draft = await mapper.MapAsync(routed, cancellationToken);
            var created = await itop.CreateTicketAsync(draft.Class, draft.Fields, Comment(routed.Reference), cancellationToken);
            var ticket = new ItopTicketRef(draft.Class, created.Key);
            LogCreated(routed.Reference, ticket.ToString(), created.Fields.Ref);
            return Created(ticket, created.Fields.Status, created.Fields.LastUpdate);
        }
        catch (ItopException ex)
        {
            LogRefused(routed.Reference, ex.Error.Code, ex.Error.Message);
            if (ex.Error.Code == ItopError.Unauthorized)
            {
                LogUnauthorized();
            }

            return new DeliveryOutcome.Refused($"iTop a refusé la demande (code {ex.Error.Code}) : {ex.Error.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(routed.Reference, ex.GetType().Name, ex.Message);
            if (ex is ApiException failure)
            {
                await RetryAfter.WaitAsAskedAsync(failure, clock, delay => LogWaitingAsAsked(routed.Reference, delay.TotalSeconds), cancellationToken);
            }

            throw;
        }
    }

    public async Task AddCommentAsync(TicketCommentAdded comment, string externalId, CancellationToken cancellationToken)
    {
        var ticket = await TicketAsync(comment.TicketId, externalId, cancellationToken);
        await publicLog.WriteAsync(comment.TicketId, ticket, CommentText(comment), Comment(comment.Reference), cancellationToken);
        LogCommentAdded(comment.Reference, ticket.ToString());
    }

    public async Task AddNoteAsync(HubNote note, string externalId, CancellationToken cancellationToken)
    {
        var ticket = await TicketAsync(note.TicketId, externalId, cancellationToken);
        try
        {
            await publicLog.WriteAsync(note.TicketId, ticket, note.Text, Comment(note.Reference), cancellationToken);
            LogNoteAdded(note.Subject, note.Reference, ticket.ToString());
        }
        catch (ItopException ex) when (ex.Error.IsUnknownObject && note.MayFindTicketGone)
        {
            LogTicketGone(note.Reference, ticket.ToString(), note.Subject, ex.Error.Message);
        }
    }

    /// <summary>
    /// Resolves the ticket with <paramref name="solution"/>, unless it already is resolved or closed
    /// (a resolution would replace the technician's solution): read first, then the stimulus
    /// <see cref="ResolvingStimulus"/>. A ticket gone, or a state with no way to resolved, is logged
    /// and left as it is.
    /// </summary>
    public async Task SolveAsync(Guid ticketId, string reference, string externalId, string solution, CancellationToken cancellationToken)
    {
        var ticket = await TicketAsync(ticketId, externalId, cancellationToken);
        try
        {
            var found = await itop.GetTicketsAsync(ticket.Class, Oql.AmongChangedSince(ticket.Class, [ticket.Key], null), "status", cancellationToken);
            if (found.Count == 0 || found[0].Fields.Status is not { } status)
            {
                LogSolutionRefused(reference, ticket.ToString(), "the ticket no longer exists");
                return;
            }

            if (status is ResolvedStatus or ClosedStatus)
            {
                LogAlreadySolved(reference, ticket.ToString(), status);
                return;
            }

            var stimulus = ResolvingStimulus(status);
            var resolved = await itop.ResolveAsync(ticket, stimulus, solution, Comment(reference), cancellationToken);
            LogSolved(reference, ticket.ToString(), stimulus, resolved.Fields.Status);
        }
        catch (ItopException ex)
        {
            LogSolutionRefused(reference, ticket.ToString(), ex.Error.ToString());
        }
    }

    public async ValueTask<IDisposable?> HoldWritesAsync(CancellationToken cancellationToken) => await gate.EnterAsync(cancellationToken);

    public static string CommentText(TicketCommentAdded comment) =>
        $"{CommentHeading.Of(comment)}, via TicketHub :\n{comment.Text.Trim()}"
        + (CommentFiles.Line(comment.Attachments) is { } files ? $"\n\n{files}" : "");

    /// <summary>
    /// The UserRequest or Incident created for <paramref name="routed"/>, or null when iTop answered,
    /// readably, that there is none: the tickets created since the hub received it (less an hour for
    /// the clocks) whose description carries its reference, checked for its id. Anything else throws
    /// <see cref="ItopLookupException"/>.
    /// </summary>
    private async Task<ItopObject?> FindByReferenceAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var marker = ItopTicketContent.Marker(routed.Reference);
        var since = dates.ToItop(routed.CreatedAt - LookupClockMargin);
        IReadOnlyList<ItopObject> found;
        try
        {
            found = await itop.GetTicketsAsync(ItopClasses.Ticket, Oql.DescriptionContainsSince(marker, since), ItopClient.LookupFields, cancellationToken);
        }
        catch (ItopException ex)
        {
            // A refused search says nothing about the ticket: not a refusal of the ticket either.
            throw new ItopLookupException(routed.Reference, ex);
        }

        var matches = found.Where(ticket => ItopTicketContent.IsDescriptionOf(ticket.Fields.Description, routed.TicketId, routed.Reference)).ToList();
        if (matches.Find(match => !ItopClasses.IsTicketClass(match.Class)) is { } strange)
        {
            throw new ItopLookupException(routed.Reference, new InvalidOperationException($"the ticket carrying it is {strange.Class}::{strange.Key}, not a UserRequest or an Incident"));
        }

        if (matches.Count > 1)
        {
            LogSeveralFound(routed.Reference, string.Join(", ", matches.Select(match => $"{match.Class}::{match.Key}")));
        }

        return matches.FirstOrDefault();
    }

    /// <summary>The iTop ticket the ledger holds as <paramref name="externalId"/>, with the class it was created in.</summary>
    private static async Task<ItopTicketRef> TicketAsync(Guid ticketId, string externalId, CancellationToken cancellationToken) =>
        new(await ItopKeys.ClassOfAsync(UnitOfWork.Connection, UnitOfWork.Current, ticketId, cancellationToken), ItopKeys.Parse(externalId));

    /// <summary>
    /// The transition to resolved (ITIL lifecycles of UserRequest and Incident, iTop 3.2): the
    /// technicians' own <c>ev_resolve</c> once the ticket is assigned; before that (new, pending,
    /// approved), <c>ev_autoresolve</c>, iTop's transition for a ticket resolved by another one (its
    /// parent), which a duplicate is. iTop refuses both in escalated_tto, waiting_for_approval and
    /// rejected (code 100 "Invalid stimulus"): logged, the note stays.
    /// </summary>
    private static string ResolvingStimulus(string status) => status is "assigned" or "escalated_ttr" ? "ev_resolve" : "ev_autoresolve";

    private DeliveryOutcome.Created Created(ItopTicketRef ticket, string? status, string? lastUpdate) =>
        new(ItopKeys.Format(ticket.Key), options.Value.TicketLink(ticket.Class, ticket.Key), status, null) { ToolVersion = lastUpdate, ToolClass = ticket.Class };

    /// <summary>iTop's change-tracking comment (mandatory for core/create and core/update).</summary>
    private static string Comment(string reference) => $"TicketHub {reference}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} was created in iTop as {ItopTicket} by an earlier attempt; reusing it")]
    private partial void LogFoundFromEarlierAttempt(string reference, string itopTicket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Several iTop tickets carry ticket {Reference} ({ItopIds}); the lowest is the hub's")]
    private partial void LogSeveralFound(string reference, string itopIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} created in iTop as {ItopTicket} ({ItopRef})")]
    private partial void LogCreated(string reference, string itopTicket, string? itopRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop refused ticket {Reference}: code {ItopCode} {ItopMessage}")]
    private partial void LogRefused(string reference, int itopCode, string itopMessage);

    [LoggerMessage(Level = LogLevel.Error, Message = "iTop refused the REST account: check Itop:AuthUser, Itop:AuthPassword, and that the account has the 'REST Services User' profile and write rights on UserRequest and Incident")]
    private partial void LogUnauthorized();

    [LoggerMessage(Level = LogLevel.Information, Message = "iTop asked to wait before ticket {Reference} is sent again (Retry-After): waiting {Seconds} s")]
    private partial void LogWaitingAsAsked(string reference, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop failed on ticket {Reference}, will retry: {Error} {Detail}")]
    private partial void LogFailed(string reference, string error, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment on ticket {Reference} added to the public log of iTop ticket {ItopTicket}")]
    private partial void LogCommentAdded(string reference, string itopTicket);

    [LoggerMessage(Level = LogLevel.Information, Message = "Note '{Subject}' of ticket {Reference} added to the public log of iTop ticket {ItopTicket}")]
    private partial void LogNoteAdded(string subject, string reference, string itopTicket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop ticket {ItopTicket} of ticket {Reference} no longer exists: note '{Subject}' not added ({ItopMessage})")]
    private partial void LogTicketGone(string reference, string itopTicket, string subject, string itopMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} closed as a duplicate: iTop ticket {ItopTicket} resolved ({Stimulus}, now {Status})")]
    private partial void LogSolved(string reference, string itopTicket, string stimulus, string? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} closed as a duplicate: iTop ticket {ItopTicket} is already {Status}; left as it is")]
    private partial void LogAlreadySolved(string reference, string itopTicket, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop refused to resolve its ticket {ItopTicket} of duplicate {Reference} ({ItopError}); the note stays, the ticket is left as it is")]
    private partial void LogSolutionRefused(string reference, string itopTicket, string itopError);
}

/// <summary>iTop's sync starts from what iTop answered to the create (status, last_update), or reads a found request in full.</summary>
internal sealed class ItopSyncStart : ISyncStart
{
    public Task StartAsync(Guid ticketId, DeliveryOutcome.Created created, CancellationToken cancellationToken) =>
        SyncStore.StartAsync(ticketId, new SyncStart(created.ToolClass ?? ItopClasses.UserRequest, created.ToolStatus, created.ToolVersion), cancellationToken);
}
