using System.Globalization;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Connectors.Shared.Tool;
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
/// <item>the collège's comments, the re-route and return notes are public-log entries, written under
/// <see cref="PublicLogGate"/> and recorded as the hub's in the same transaction, so that the sync
/// never reports them back.</item>
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

    public async Task NotifyMovedAsync(TicketRerouted rerouted, string externalId, CancellationToken cancellationToken)
    {
        var ticket = await TicketAsync(rerouted.TicketId, externalId, cancellationToken);
        try
        {
            await publicLog.WriteAsync(rerouted.TicketId, ticket, MovedText(rerouted), Comment(rerouted.Reference), cancellationToken);
            LogMoved(rerouted.Reference, ticket.ToString(), rerouted.Target);
        }
        catch (ItopException ex) when (ex.Error.IsUnknownObject)
        {
            LogTicketGone(rerouted.Reference, ticket.ToString(), ex.Error.Message);
        }
    }

    public async Task NotifyReclaimedAsync(TicketRouted routed, string externalId, CancellationToken cancellationToken) =>
        await publicLog.WriteAsync(routed.TicketId, await TicketAsync(routed.TicketId, externalId, cancellationToken),
            ToolNotes.SentBack(routed, ToolDescriptor.Itop.DisplayName), Comment(routed.Reference), cancellationToken);

    public async ValueTask<IDisposable?> HoldWritesAsync(CancellationToken cancellationToken) => await gate.EnterAsync(cancellationToken);

    public static string CommentText(TicketCommentAdded comment) =>
        $"Message de {comment.AuthorName} (collège, via TicketHub) :\n{comment.Text.Trim()}";

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

    private static string MovedText(TicketRerouted rerouted) => ToolNotes.MovedAway(rerouted, ToolDescriptor.Itop.DisplayName);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} re-routed to {Target}: note added to iTop ticket {ItopTicket}")]
    private partial void LogMoved(string reference, string itopTicket, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Reference} re-routed, but iTop ticket {ItopTicket} no longer exists: {ItopMessage}")]
    private partial void LogTicketGone(string reference, string itopTicket, string itopMessage);
}

/// <summary>iTop's sync starts from what iTop answered to the create (status, last_update), or reads a found request in full.</summary>
internal sealed class ItopSyncStart : ISyncStart
{
    public Task StartAsync(Guid ticketId, DeliveryOutcome.Created created, CancellationToken cancellationToken) =>
        SyncStore.StartAsync(ticketId, new SyncStart(created.ToolClass ?? ItopClasses.UserRequest, created.ToolStatus, created.ToolVersion), cancellationToken);
}
