using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>Records where the classifier sent a ticket and why.</summary>
public sealed class TicketRoutedConsumer(IInbox inbox, TicketLifecycle lifecycle) : IConsumer<TicketRouted>
{
    public Task Consume(ConsumeContext<TicketRouted> context) =>
        inbox.ProcessOnceAsync<TicketRoutedConsumer>(context, () =>
            lifecycle.RouteAsync(context.Message, context.CancellationToken));
}

public sealed class TicketRoutedConsumerDefinition : ConsumerDefinition<TicketRoutedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TicketRoutedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
