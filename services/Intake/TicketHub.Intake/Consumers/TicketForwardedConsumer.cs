using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>Records the external ticket a connector created.</summary>
public sealed class TicketForwardedConsumer(IInbox inbox, TicketLifecycle lifecycle) : IConsumer<TicketForwarded>
{
    public Task Consume(ConsumeContext<TicketForwarded> context) =>
        inbox.ProcessOnceAsync<TicketForwardedConsumer>(context, () =>
            lifecycle.ForwardedAsync(context.Message, context.CancellationToken));
}

public sealed class TicketForwardedConsumerDefinition : ConsumerDefinition<TicketForwardedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TicketForwardedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
