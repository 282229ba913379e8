using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Http;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// Creates a routed ticket in GLPI exactly once, whatever the redeliveries, timeouts and crashes:
/// <list type="number">
/// <item>commit the intent (a ticket already created is left alone);</item>
/// <item>after an uncertain earlier attempt, look the ticket up by the hub reference, where GLPI keeps
/// it (<see cref="GlpiReference"/>: the title and description in GLPI 10, also <c>externalid</c> in
/// GLPI 11); a lookup whose answer cannot be read throws, and nothing is created;</item>
/// <item>otherwise POST it (never retried blindly: an unanswered POST is settled by step 2 next time);</item>
/// <item>commit "created" together with <see cref="TicketForwarded"/> in the outbox.</item>
/// </list>
/// A refusal by GLPI (4xx business error) publishes <see cref="TicketForwardingFailed"/>; a server
/// error or a timeout throws so that the message is retried. When GLPI (or its proxy) answered with
/// <c>Retry-After</c> (429, 503), the throw waits that long first, so that the next attempt, which
/// looks the ticket up before posting it, comes no sooner than GLPI asked.
/// Once GLPI holds the ticket, the collège's files are added to it as documents, each once
/// (<see cref="DocumentSender"/>); a redelivered message adds those still missing.
/// </summary>
internal sealed partial class GlpiTicketForwarder(
    IGlpiApi glpi,
    DeliveryLedger ledger,
    GlpiTicketMapper mapper,
    GlpiCapabilities capabilities,
    GlpiRequesters requesters,
    DocumentSender documents,
    IOptions<GlpiOptions> options,
    TimeProvider clock,
    ILogger<GlpiTicketForwarder> logger)
{
    public async Task ForwardAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        if (await CreateAsync(routed, cancellationToken) is { } glpiId)
        {
            await documents.SendAsync(routed, glpiId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
    }

    /// <summary>Creates the ticket once; GLPI's id of the ticket the hub holds, or null when GLPI refused it.</summary>
    private async Task<int?> CreateAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var attempt = await ledger.BeginAttemptAsync(routed.TicketId, routed.Reference, cancellationToken);
        if (attempt.State == ExternalTicketState.Created)
        {
            var heldId = int.Parse(attempt.ExternalId!, System.Globalization.CultureInfo.InvariantCulture);
            if (routed.Route.Rule == TicketRerouted.ManualRule)
            {
                await ReclaimAsync(routed, attempt.ExternalId!, cancellationToken);
                return heldId;
            }

            LogAlreadyCreated(routed.Reference, attempt.ExternalId);
            return heldId;
        }

        var externalIdOption = await capabilities.ExternalIdOptionAsync(cancellationToken);
        var existing = attempt.IsRetry ? await glpi.FindTicketByReferenceAsync(routed.Reference, externalIdOption, cancellationToken) : null;
        int glpiId;
        if (existing is { } found)
        {
            glpiId = found;
            LogFoundFromEarlierAttempt(routed.Reference, glpiId);
        }
        else
        {
            var requester = await requesters.FindAsync(routed.Ticket.Requester.Email, cancellationToken);
            try
            {
                var input = mapper.Map(routed, requester, sendExternalId: externalIdOption is not null);
                var created = await glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), cancellationToken);
                glpiId = created.Id;
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
                var reason = $"GLPI a refusé le ticket (HTTP {(int)error.Status} {error.Code}) : {error.Message}";
                await ledger.MarkFailedAsync(
                    new TicketForwardingFailed(routed.TicketId, routed.Reference, ExternalTools.Glpi, reason, clock.GetUtcNow()),
                    cancellationToken);
                return null;
            }

            LogCreated(routed.Reference, glpiId);
        }

        var id = glpiId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ledger.MarkCreatedAsync(
            new TicketForwarded(routed.TicketId, routed.Reference, ExternalTools.Glpi, id, options.Value.TicketLink(glpiId), clock.GetUtcNow()),
            transaction => SyncStore.StartAsync(transaction, routed.TicketId, cancellationToken),
            cancellationToken);
        return glpiId;
    }

    /// <summary>
    /// A dispatcher sent back to GLPI a ticket it already holds: no second ticket; the GLPI ticket is
    /// told, if it had been told the request went elsewhere, and intake learns it is forwarded again.
    /// </summary>
    private async Task ReclaimAsync(TicketRouted routed, string externalId, CancellationToken cancellationToken)
    {
        var glpiId = int.Parse(externalId, System.Globalization.CultureInfo.InvariantCulture);
        int? notice = null;
        if (await ledger.WasMovedAwayAsync(routed.TicketId, cancellationToken))
        {
            notice = (await glpi.AddFollowupAsync(glpiId, new GlpiInput<GlpiFollowupInput>(new GlpiFollowupInput
            {
                ItemId = glpiId,
                Content = "<p><strong>Demande de nouveau confiée à l'infogérant par le Pôle TIE.</strong></p>" + ToolHtml.FromPlainText(routed.Route.Explanation),
            }), cancellationToken)).Id;
        }

        // The notice is the hub's own follow-up: never to be reported back as a reply.
        await ledger.ReclaimAsync(
            new TicketForwarded(routed.TicketId, routed.Reference, ExternalTools.Glpi, externalId, options.Value.TicketLink(glpiId), clock.GetUtcNow()),
            notice is { } followupId
                ? transaction => HubFollowups.RecordAsync(transaction, followupId, routed.TicketId, null, clock.GetUtcNow(), cancellationToken)
                : null,
            cancellationToken);
        LogReclaimed(routed.Reference, glpiId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} routed back to GLPI by hand: GLPI ticket {GlpiId} is the hub's again")]
    private partial void LogReclaimed(string reference, int glpiId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} already exists in GLPI as {GlpiId}; nothing to do")]
    private partial void LogAlreadyCreated(string reference, string? glpiId);

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
}
