using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.DeadLetters;
using TicketHub.Intake.Indicators;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>
/// Keeps the list of every service's dead letters, and shows the ticket a dead letter names as
/// failed. Idempotent twice over: by message id (inbox) and by dead letter id.
/// </summary>
public sealed class MessageDeadLetteredConsumer(IInbox inbox, DeadLetterStore deadLetters, TicketMetrics metrics) : IConsumer<MessageDeadLettered>
{
    public Task Consume(ConsumeContext<MessageDeadLettered> context) =>
        inbox.ProcessOnceAsync<MessageDeadLetteredConsumer>(context, async () =>
        {
            if (await deadLetters.RecordAsync(context.Message, context.CancellationToken))
            {
                metrics.DeadLettered(context.Message.Service);
            }
        });
}

public sealed class MessageDeadLetteredConsumerDefinition : ConsumerDefinition<MessageDeadLetteredConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<MessageDeadLetteredConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
