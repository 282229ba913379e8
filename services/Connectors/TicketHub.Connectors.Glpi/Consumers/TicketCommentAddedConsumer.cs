using MassTransit;
using TicketHub.Connectors.Glpi.Comments;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Glpi.Consumers;

/// <summary>Adds the collège's comment to its GLPI ticket, once; comments for other tools are someone else's.</summary>
internal sealed class TicketCommentAddedConsumer(IInbox inbox, GlpiCommentWriter writer) : IConsumer<TicketCommentAdded>
{
    public Task Consume(ConsumeContext<TicketCommentAdded> context) =>
        string.Equals(context.Message.Tool, ExternalTools.Glpi, StringComparison.OrdinalIgnoreCase)
            ? inbox.ProcessOnceAsync<TicketCommentAddedConsumer>(context, transaction =>
                writer.AddAsync(transaction, context.Message, context.CancellationToken))
            : Task.CompletedTask;
}

/// <summary>
/// GLPI down: retried at once, redelivered for about 20 minutes, then a dead letter (ADR 8). Comments of one ticket are
/// handled one at a time, in the order they arrive.
/// </summary>
internal sealed class TicketCommentAddedConsumerDefinition : ConsumerDefinition<TicketCommentAddedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketCommentAddedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
        consumerConfigurator.Message<TicketCommentAdded>(message => message.UsePartitioner(16, consume => consume.Message.TicketId));
    }
}
