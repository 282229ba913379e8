using System.Data.Common;
using MassTransit;

namespace TicketHub.Classifier.Consumers;

/// <summary>
/// Database faults are retried: at once first (a lock held for a moment, a concurrent redelivery
/// that committed first), then spaced out (the database restarting). Anything else is a bug or a
/// bad message and goes to the error queue without retrying.
/// </summary>
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
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<DbException>();
            retry.Handle<TimeoutException>();
            retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        });
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<DbException>();
            retry.Handle<TimeoutException>();
            retry.Immediate(3);
        });
    }
}
