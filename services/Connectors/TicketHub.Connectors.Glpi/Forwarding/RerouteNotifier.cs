using System.Data.Common;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// When a dispatcher re-routes a ticket that this connector created in GLPI, the GLPI ticket gets a
/// follow-up saying where the request went and why, so that a technician does not work it, or wait
/// on it, for nothing.
/// </summary>
internal sealed partial class RerouteNotifier(
    IGlpiApi glpi,
    DeliveryLedger ledger,
    IOptions<GlpiOptions> options,
    TimeProvider clock,
    ILogger<RerouteNotifier> logger)
{
    /// <summary>Runs in the consumer's inbox transaction: the follow-up is posted once per re-route message.</summary>
    public async Task NotifyAsync(DbTransaction transaction, TicketRerouted rerouted, CancellationToken cancellationToken)
    {
        if (StaysInGlpi(rerouted))
        {
            return;
        }

        var ticket = await ledger.FindAsync(transaction, rerouted.TicketId, cancellationToken);
        if (ticket?.HeldId is not { } externalId || !int.TryParse(externalId, NumberStyles.None, CultureInfo.InvariantCulture, out var glpiId))
        {
            return;
        }

        var now = clock.GetUtcNow();
        try
        {
            var notice = await glpi.AddFollowupAsync(glpiId, new GlpiInput<GlpiFollowupInput>(new GlpiFollowupInput
            {
                ItemId = glpiId,
                Content = Content(rerouted),
            }), cancellationToken);
            await HubFollowups.RecordAsync(transaction, notice.Id, rerouted.TicketId, null, now, cancellationToken);
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            LogTicketGone(rerouted.Reference, glpiId);
        }

        await ledger.MarkMovedAsync(transaction, rerouted.TicketId, cancellationToken);
        LogNotified(rerouted.Reference, glpiId, rerouted.Target);
    }

    /// <summary>A change inside the infogérant (queue, or the tool left to the classifier) keeps the GLPI ticket.</summary>
    private static bool StaysInGlpi(TicketRerouted rerouted) =>
        rerouted.Target == RouteTargets.Infogerant && (rerouted.Tool is null || rerouted.Tool == ExternalTools.Glpi);

    private string Content(TicketRerouted rerouted)
    {
        var at = TimeZoneInfo.ConvertTime(rerouted.ReroutedAt, options.Value.FindTimeZone());
        return string.Create(CultureInfo.GetCultureInfo("fr-FR"),
                $"<p><strong>Demande réorientée par le Pôle TIE</strong> le {at:dd/MM/yyyy à HH:mm} vers {ToolHtml.Encode(RouteTargets.FrenchName(rerouted.Target))}.</p>")
            + "<p>Raison :</p>" + ToolHtml.FromPlainText(rerouted.Reason)
            + $"<p>Ce ticket n'est plus à traiter dans GLPI (référence TicketHub {ToolHtml.Encode(rerouted.Reference)}).</p>";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} re-routed to {Target}: follow-up added to GLPI ticket {GlpiId}")]
    private partial void LogNotified(string reference, int glpiId, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Reference} re-routed, but GLPI ticket {GlpiId} no longer exists")]
    private partial void LogTicketGone(string reference, int glpiId);
}
