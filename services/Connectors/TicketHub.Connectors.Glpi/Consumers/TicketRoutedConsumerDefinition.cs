using MassTransit;
using TicketHub.ServiceDefaults.Messaging;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Consumers;

/// <summary>
/// GLPI down or slow: retried at once, redelivered for about 20 minutes, then a dead letter (ADR 8).
/// Messages of one ticket are handled one at a time, so two deliveries cannot both create it.
/// </summary>
internal sealed class TicketRoutedConsumerDefinition : ConsumerDefinition<TicketRoutedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketRoutedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
        consumerConfigurator.Message<TicketRouted>(message => message.UsePartitioner(16, consume => consume.Message.TicketId));
    }
}
