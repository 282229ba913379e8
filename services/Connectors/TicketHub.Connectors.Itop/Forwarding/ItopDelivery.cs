using System.Data.Common;
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

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// iTop in the shared pipeline (<see cref="ITicketDelivery"/>; the ledger protocol, the reclaim and
/// the Attachments are the pipeline's):
/// <list type="bullet">
/// <item>a request is looked up by the reference in its description (core/get, OQL) after an
/// uncertain earlier attempt, else core/create'd (never retried blindly); iTop's refusal (a non-zero
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
    PublicLogWriter publicLog,
    PublicLogGate gate,
    IOptions<ItopOptions> options,
    TimeProvider clock,
    ILogger<ItopDelivery> logger) : ITicketDelivery
{
    public async Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            if (attempt.IsRetry && await FindByReferenceAsync(routed.Reference, cancellationToken) is { } existing)
            {
                LogFoundFromEarlierAttempt(routed.Reference, existing.Key);
                // Found, not created: the sync reads it once in full and publishes where it stands.
                return Created(existing.Key, status: null, lastUpdate: null);
            }

            var request = await itop.CreateUserRequestAsync(mapper.Map(routed), Comment(routed.Reference), cancellationToken);
            LogCreated(routed.Reference, request.Key, request.Fields.Ref);
            return Created(request.Key, request.Fields.Status, request.Fields.LastUpdate);
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

    public async Task AddCommentAsync(DbTransaction transaction, TicketCommentAdded comment, string externalId, CancellationToken cancellationToken)
    {
        var itopId = ItopKeys.Parse(externalId);
        await publicLog.WriteAsync(transaction, comment.TicketId, itopId, CommentText(comment), Comment(comment.Reference), cancellationToken);
        LogCommentAdded(comment.Reference, itopId);
    }

    public async Task NotifyMovedAsync(DbTransaction transaction, TicketRerouted rerouted, string externalId, CancellationToken cancellationToken)
    {
        var itopId = ItopKeys.Parse(externalId);
        try
        {
            await publicLog.WriteAsync(transaction, rerouted.TicketId, itopId, MovedText(rerouted), Comment(rerouted.Reference), cancellationToken);
            LogMoved(rerouted.Reference, itopId, rerouted.Target);
        }
        catch (ItopException ex) when (ex.Error.IsUnknownObject)
        {
            LogTicketGone(rerouted.Reference, itopId, ex.Error.Message);
        }
    }

    public Task NotifyReclaimedAsync(DbTransaction transaction, TicketRouted routed, string externalId, CancellationToken cancellationToken) =>
        publicLog.WriteAsync(transaction, routed.TicketId, ItopKeys.Parse(externalId),
            $"Demande de nouveau confiée à l'infogérant par le Pôle TIE.\n{routed.Route.Explanation}", Comment(routed.Reference), cancellationToken);

    public async ValueTask<IDisposable?> HoldWritesAsync(CancellationToken cancellationToken) => await gate.EnterAsync(cancellationToken);

    public static string CommentText(TicketCommentAdded comment) =>
        $"Message de {comment.AuthorName} (collège, via TicketHub) :\n{comment.Text.Trim()}";

    /// <summary>The request whose description carries the reference, or null.</summary>
    private async Task<ItopObject?> FindByReferenceAsync(string reference, CancellationToken cancellationToken)
    {
        var marker = ItopTicketContent.Marker(reference);
        var found = await itop.GetUserRequestsAsync(Oql.DescriptionContains(marker), ItopClient.LookupFields, cancellationToken);
        var matches = found.Where(request => request.Fields.Description?.Contains(marker, StringComparison.Ordinal) == true).ToList();
        if (matches.Count > 1)
        {
            LogSeveralFound(reference, string.Join(", ", matches.Select(match => match.Key)));
        }

        return matches.FirstOrDefault();
    }

    private string MovedText(TicketRerouted rerouted)
    {
        var at = TimeZoneInfo.ConvertTime(rerouted.ReroutedAt, options.Value.FindTimeZone());
        return string.Create(CultureInfo.GetCultureInfo("fr-FR"),
            $"Demande réorientée par le Pôle TIE le {at:dd/MM/yyyy à HH:mm} vers {RouteTargets.FrenchName(rerouted.Target)}.\n"
            + $"Raison : {rerouted.Reason}\n"
            + $"Cette demande n'est plus à traiter dans iTop (référence TicketHub {rerouted.Reference}).");
    }

    private DeliveryOutcome.Created Created(int itopId, string? status, string? lastUpdate) =>
        new(ItopKeys.Format(itopId), options.Value.TicketLink(itopId), status, null) { ToolVersion = lastUpdate };

    /// <summary>iTop's change-tracking comment (mandatory for core/create and core/update).</summary>
    private static string Comment(string reference) => $"TicketHub {reference}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} was created in iTop as {ItopId} by an earlier attempt; reusing it")]
    private partial void LogFoundFromEarlierAttempt(string reference, int itopId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Several iTop requests carry ticket {Reference} ({ItopIds}); the lowest is the hub's")]
    private partial void LogSeveralFound(string reference, string itopIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} created in iTop as {ItopId} ({ItopRef})")]
    private partial void LogCreated(string reference, int itopId, string? itopRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop refused ticket {Reference}: code {ItopCode} {ItopMessage}")]
    private partial void LogRefused(string reference, int itopCode, string itopMessage);

    [LoggerMessage(Level = LogLevel.Error, Message = "iTop refused the REST account: check Itop:AuthUser, Itop:AuthPassword, and that the account has the 'REST Services User' profile and write rights on UserRequest")]
    private partial void LogUnauthorized();

    [LoggerMessage(Level = LogLevel.Information, Message = "iTop asked to wait before ticket {Reference} is sent again (Retry-After): waiting {Seconds} s")]
    private partial void LogWaitingAsAsked(string reference, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iTop failed on ticket {Reference}, will retry: {Error} {Detail}")]
    private partial void LogFailed(string reference, string error, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment on ticket {Reference} added to the public log of iTop request {ItopId}")]
    private partial void LogCommentAdded(string reference, int itopId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} re-routed to {Target}: note added to iTop request {ItopId}")]
    private partial void LogMoved(string reference, int itopId, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Reference} re-routed, but iTop request {ItopId} no longer exists: {ItopMessage}")]
    private partial void LogTicketGone(string reference, int itopId, string itopMessage);
}

/// <summary>iTop's sync starts from what iTop answered to the create (status, last_update), or reads a found request in full.</summary>
internal sealed class ItopSyncStart : ISyncStart
{
    public Task StartAsync(DbTransaction transaction, Guid ticketId, DeliveryOutcome.Created created, CancellationToken cancellationToken) =>
        SyncStore.StartAsync(transaction, ticketId, new SyncStart(created.ToolStatus, created.ToolVersion), cancellationToken);
}
