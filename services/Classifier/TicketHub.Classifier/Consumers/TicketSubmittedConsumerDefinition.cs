using MassTransit;

namespace TicketHub.Classifier.Consumers;

/// <summary>See <see cref="DatabaseRetry"/>.</summary>
public sealed class TicketSubmittedConsumerDefinition : ConsumerDefinition<TicketSubmittedConsumer>
{
    public TicketSubmittedConsumerDefinition()
    {
        // SQLite has one writer at a time: more in parallel would only wait on its lock.
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketSubmittedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        DatabaseRetry.Configure(endpointConfigurator, consumerConfigurator, context);
}
