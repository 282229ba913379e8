using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Conversation;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>Brings a tool's status changes and replies back to the collège's ticket.</summary>
public sealed class ExternalTicketUpdatedConsumer(IInbox inbox, ConversationStore conversation) : IConsumer<ExternalTicketUpdated>
{
    public Task Consume(ConsumeContext<ExternalTicketUpdated> context) =>
        inbox.ProcessOnceAsync<ExternalTicketUpdatedConsumer>(context, () =>
            conversation.ApplyAsync(context.Message, context.CancellationToken));
}

public sealed class ExternalTicketUpdatedConsumerDefinition : ConsumerDefinition<ExternalTicketUpdatedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ExternalTicketUpdatedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
