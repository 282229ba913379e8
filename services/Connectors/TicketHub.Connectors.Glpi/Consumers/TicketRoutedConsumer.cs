using MassTransit;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Consumers;

/// <summary>Creates in GLPI the tickets routed to it; every other route is someone else's.</summary>
internal sealed class TicketRoutedConsumer(GlpiTicketForwarder forwarder) : IConsumer<TicketRouted>
{
    public Task Consume(ConsumeContext<TicketRouted> context) =>
        string.Equals(context.Message.Route.Tool, ExternalTools.Glpi, StringComparison.OrdinalIgnoreCase)
            ? forwarder.ForwardAsync(context.Message, context.CancellationToken)
            : Task.CompletedTask;
}
