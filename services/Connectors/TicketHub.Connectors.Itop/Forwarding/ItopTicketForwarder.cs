using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// Creates a routed ticket in iTop exactly once, whatever the redeliveries, timeouts and crashes:
/// <list type="number">
/// <item>commit the intent (a ticket already created is left alone);</item>
/// <item>after an uncertain earlier attempt, look the ticket up by the reference in its description
/// (core/get on the parent class Ticket, so that an Incident is found as well as a UserRequest; only
/// tickets started since the hub received it, and whose description carries its id: references
/// restart with a new hub);</item>
/// <item>otherwise core/create it, as an Incident or a UserRequest (<see cref="ItopTicketClasses"/>),
/// never retried blindly: an unanswered create is settled by step 2 next time;</item>
/// <item>commit "created", with the class, together with <see cref="TicketForwarded"/> in the outbox.</item>
/// </list>
/// A lookup that fails, or whose answer cannot be read, throws (<see cref="ItopLookupException"/>):
/// it is never taken for "not found", which would create a second ticket.
/// iTop's refusal (a non-zero <c>code</c>, even in an HTTP 200) publishes <see cref="TicketForwardingFailed"/>;
/// a transport error, a server error or a timeout throws so that the message is retried. When iTop
/// (or its proxy) answered with <c>Retry-After</c> (429, 503), the throw waits that long first, so
/// that the next attempt, which looks the request up before creating it, comes no sooner than asked.
/// Once iTop holds the request, the collège's files are added to it as Attachments, each once
/// (<see cref="DocumentSender"/>); a redelivered message adds those still missing.
/// </summary>
internal sealed partial class ItopTicketForwarder(
    ItopClient itop,
    DeliveryLedger ledger,
    ItopTicketMapper mapper,
    ItopDates dates,
    DocumentSender documents,
    PublicLogWriter publicLog,
    PublicLogGate gate,
    IDbConnectionFactory connections,
    IOutbox outbox,
    IOptions<ItopOptions> options,
    TimeProvider clock,
    ILogger<ItopTicketForwarder> logger)
{
    /// <summary>How far before the hub received a ticket its iTop ticket is searched for: clocks differ.</summary>
    public static readonly TimeSpan LookupClockMargin = TimeSpan.FromHours(1);

    public async Task ForwardAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        if (await CreateAsync(routed, cancellationToken) is { } ticket)
        {
            await documents.SendAsync(routed, ItopKeys.Format(ticket.Key), cancellationToken);
        }
    }

    /// <summary>Creates the ticket once; the iTop ticket the hub holds, or null when iTop refused it.</summary>
    private async Task<ItopTicketRef?> CreateAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var attempt = await ledger.BeginAttemptAsync(routed.TicketId, routed.Reference, cancellationToken);
        if (attempt.State == ExternalTicketState.Created)
        {
            var held = await HeldAsync(routed.TicketId, ItopKeys.Parse(attempt.ExternalId!), cancellationToken);
            if (routed.Route.Rule == TicketRerouted.ManualRule)
            {
                await ReclaimAsync(routed, held, cancellationToken);
                return held;
            }

            LogAlreadyCreated(routed.Reference, held.ToString());
            return held;
        }

        ItopTicketRef ticket;
        SyncStart start;
        try
        {
            var existing = attempt.IsRetry ? await FindByReferenceAsync(routed, cancellationToken) : null;
            if (existing is not null)
            {
                ticket = new ItopTicketRef(existing.Class!, existing.Key);
                LogFoundFromEarlierAttempt(routed.Reference, ticket.ToString());
                // Found, not created: the sync reads it once in full and publishes where it stands.
                start = new SyncStart(ticket.Class, null, null);
            }
            else
            {
                var draft = await mapper.MapAsync(routed, cancellationToken);
                var created = await itop.CreateTicketAsync(draft.Class, draft.Fields, Comment(routed), cancellationToken);
                ticket = new ItopTicketRef(draft.Class, created.Key);
                start = new SyncStart(ticket.Class, created.Fields.Status, created.Fields.LastUpdate);
                LogCreated(routed.Reference, ticket.ToString(), created.Fields.Ref);
            }
        }
        catch (ItopException ex)
        {
            LogRefused(routed.Reference, ex.Error.Code, ex.Error.Message);
            if (ex.Error.Code == ItopError.Unauthorized)
            {
                LogUnauthorized();
            }

            var reason = $"iTop a refusé la demande (code {ex.Error.Code}) : {ex.Error.Message}";
            await ledger.MarkFailedAsync(
                new TicketForwardingFailed(routed.TicketId, routed.Reference, ExternalTools.Itop, reason, clock.GetUtcNow()),
                cancellationToken);
            return null;
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

        await ledger.MarkCreatedAsync(
            Forwarded(routed, ticket),
            transaction => SyncStore.StartAsync(transaction, routed.TicketId, start, cancellationToken),
            cancellationToken);
        return ticket;
    }

    private async Task<ItopTicketRef> HeldAsync(Guid ticketId, int key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return new ItopTicketRef(await ItopKeys.ClassOfAsync(connection, null, ticketId, cancellationToken), key);
    }

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

    /// <summary>
    /// A dispatcher sent back to iTop a ticket it already holds: no second request; the request is
    /// told, if it had been told the ticket went elsewhere, and intake learns it is forwarded again.
    /// </summary>
    private async Task ReclaimAsync(TicketRouted routed, ItopTicketRef ticket, CancellationToken cancellationToken)
    {
        var wasMoved = await ledger.WasMovedAwayAsync(routed.TicketId, cancellationToken);
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (wasMoved)
            {
                await publicLog.WriteAsync(transaction, routed.TicketId, ticket,
                    $"Demande de nouveau confiée à l'infogérant par le Pôle TIE.\n{routed.Route.Explanation}", Comment(routed), cancellationToken);
            }

            await ledger.ReclaimAsync(transaction, Forwarded(routed, ticket), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        outbox.NotifyCommitted();
        LogReclaimed(routed.Reference, ticket.ToString());
    }

    private TicketForwarded Forwarded(TicketRouted routed, ItopTicketRef ticket) => new(
        routed.TicketId,
        routed.Reference,
        ExternalTools.Itop,
        ItopKeys.Format(ticket.Key),
        options.Value.TicketLink(ticket.Class, ticket.Key),
        clock.GetUtcNow());

    /// <summary>iTop's change-tracking comment (mandatory for core/create and core/update).</summary>
    private static string Comment(TicketRouted routed) => $"TicketHub {routed.Reference}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} routed back to iTop by hand: iTop ticket {ItopTicket} is the hub's again")]
    private partial void LogReclaimed(string reference, string itopTicket);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} already exists in iTop as {ItopTicket}; nothing to do")]
    private partial void LogAlreadyCreated(string reference, string itopTicket);

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
}
