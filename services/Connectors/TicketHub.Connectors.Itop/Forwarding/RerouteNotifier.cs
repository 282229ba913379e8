using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// When a dispatcher re-routes a ticket that this connector created in iTop, the request's public
/// log says where the ticket went and why, so that a technician does not work it, or wait on it, for
/// nothing; the sync stops following it.
/// </summary>
internal sealed partial class RerouteNotifier(
    PublicLogWriter publicLog,
    DeliveryLedger ledger,
    IOptions<ItopOptions> options,
    ILogger<RerouteNotifier> logger)
{
    /// <summary>Runs in the consumer's inbox transaction: the note is written once per re-route message.</summary>
    public async Task NotifyAsync(DbTransaction transaction, TicketRerouted rerouted, CancellationToken cancellationToken)
    {
        if (StaysInItop(rerouted))
        {
            return;
        }

        if (await ledger.HeldTicketAsync(transaction, rerouted.TicketId, cancellationToken) is not { } ticket)
        {
            return;
        }

        try
        {
            await publicLog.WriteAsync(transaction, rerouted.TicketId, ticket, Text(rerouted), $"TicketHub {rerouted.Reference}", cancellationToken);
            LogNotified(rerouted.Reference, ticket.ToString(), rerouted.Target);
        }
        catch (ItopException ex) when (ex.Error.IsUnknownObject)
        {
            LogTicketGone(rerouted.Reference, ticket.ToString(), ex.Error.Message);
        }

        await ledger.MarkMovedAsync(transaction, rerouted.TicketId, cancellationToken);
    }

    /// <summary>A change inside the infogérant (queue, or the tool left to the classifier) keeps the iTop request.</summary>
    private static bool StaysInItop(TicketRerouted rerouted) =>
        rerouted.Target == RouteTargets.Infogerant && (rerouted.Tool is null || rerouted.Tool == ExternalTools.Itop);

    private string Text(TicketRerouted rerouted)
    {
        var at = TimeZoneInfo.ConvertTime(rerouted.ReroutedAt, options.Value.FindTimeZone());
        return string.Create(CultureInfo.GetCultureInfo("fr-FR"),
            $"Demande réorientée par le Pôle TIE le {at:dd/MM/yyyy à HH:mm} vers {RouteTargets.FrenchName(rerouted.Target)}.\n"
            + $"Raison : {rerouted.Reason}\n"
            + $"Cette demande n'est plus à traiter dans iTop (référence TicketHub {rerouted.Reference}).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} re-routed to {Target}: note added to iTop ticket {ItopTicket}")]
    private partial void LogNotified(string reference, string itopTicket, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Reference} re-routed, but iTop ticket {ItopTicket} no longer exists: {ItopMessage}")]
    private partial void LogTicketGone(string reference, string itopTicket, string itopMessage);
}
