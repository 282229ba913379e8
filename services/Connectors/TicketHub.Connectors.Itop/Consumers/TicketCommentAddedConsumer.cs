using MassTransit;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Itop.Consumers;

/// <summary>
/// Adds a collège's comment to the public log of its iTop request, once per message; comments on
/// tickets held by another tool are someone else's.
/// </summary>
internal sealed class TicketCommentAddedConsumer(IInbox inbox, CommentForwarder forwarder, PublicLogGate gate) : IConsumer<TicketCommentAdded>
{
    public async Task Consume(ConsumeContext<TicketCommentAdded> context)
    {
        if (!string.Equals(context.Message.Tool, ExternalTools.Itop, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        using (await gate.EnterAsync(context.CancellationToken))
        {
            await inbox.ProcessOnceAsync<TicketCommentAddedConsumer>(context, transaction =>
                forwarder.ForwardAsync(transaction, context.Message, context.CancellationToken));
        }
    }
}

/// <summary>iTop down or slow: retried at once, redelivered for about 20 minutes, then a dead letter (ADR 8).</summary>
internal sealed class TicketCommentAddedConsumerDefinition : ConsumerDefinition<TicketCommentAddedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketCommentAddedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
