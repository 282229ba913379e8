using MassTransit;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier.Consumers;

/// <summary>
/// A dispatcher re-routed a ticket: the classifier completes the route (the target's usual tool,
/// the collège's UT for Omère), records the decision beside the automatic ones and announces it as
/// a <see cref="TicketRouted"/> with rule MANUAL, so that the new tool's connector takes it.
/// </summary>
public sealed partial class TicketReroutedConsumer(
    IInbox inbox,
    CollegeStore colleges,
    RuleSet ruleSet,
    RouteAnnouncer announcer,
    RoutedHistory history,
    ILogger<TicketReroutedConsumer> logger) : IConsumer<TicketRerouted>
{
    public async Task Consume(ConsumeContext<TicketRerouted> context)
    {
        var rerouted = context.Message;
        var cancellationToken = context.CancellationToken;
        RouteDecision? route = null;

        var processed = await inbox.ProcessOnceAsync<TicketReroutedConsumer>(context, async () =>
        {
            var college = (await colleges.FindAsync(rerouted.Ticket.CollegeUai, cancellationToken))?.College;
            route = Complete(rerouted, college);
            await announcer.AnnounceAsync(rerouted.TicketId, rerouted.Reference, rerouted.CreatedAt, rerouted.Ticket, route, college, cancellationToken);
            await history.CorrectAsync(rerouted, college, cancellationToken);
        });

        if (processed)
        {
            LogRerouted(rerouted.Reference, route!.Target, route.Tool, rerouted.RequestedBy);
        }
    }

    private RouteDecision Complete(TicketRerouted rerouted, College? college)
    {
        var tool = rerouted.Tool ?? ruleSet.DefaultTool(rerouted.Target);
        var queue = rerouted.Queue ?? (rerouted.Target == RouteTargets.Omere ? college?.Ut : null);
        var toolName = tool is ExternalTools.Glpi ? " (GLPI)" : tool is ExternalTools.Itop ? " (iTop)" : "";
        var destination = rerouted.Target == RouteTargets.Infogerant ? RouteTargets.FrenchName(rerouted.Target) + toolName : RouteTargets.FrenchName(rerouted.Target);
        var explanation = $"Votre demande a été réorientée par le Pôle TIE vers {destination} : {rerouted.Reason}";
        return new RouteDecision(rerouted.Target, tool, queue, TicketRerouted.ManualRule, ruleSet.Version, explanation,
            rerouted.PreviousRoute?.Flags ?? []);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} re-routed by {RequestedBy} to {Target} ({Tool})")]
    private partial void LogRerouted(string reference, string target, string? tool, string requestedBy);
}
