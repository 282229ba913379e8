namespace TicketHub.Classifier.Consumers;

/// <summary>See <see cref="DatabaseRetryDefinition{TConsumer}"/>.</summary>
public sealed class TicketSubmittedConsumerDefinition : DatabaseRetryDefinition<TicketSubmittedConsumer>
{
    public TicketSubmittedConsumerDefinition()
    {
        // SQLite has one writer at a time: more in parallel would only wait on its lock.
        ConcurrentMessageLimit = 4;
    }
}
