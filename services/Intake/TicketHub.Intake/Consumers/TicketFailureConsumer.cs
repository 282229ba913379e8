using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>
/// A connector says the tool refused the ticket for good: the ticket is shown as <c>failed</c>, to the
/// collège in plain French, to the operators with the connector's reason (the tool's own words). (A message that failed every retry arrives instead as a dead letter:
/// <see cref="MessageDeadLetteredConsumer"/>.)
/// </summary>
public sealed class TicketFailureConsumer(IInbox inbox, TicketLifecycle lifecycle) : IConsumer<TicketForwardingFailed>
{
    public Task Consume(ConsumeContext<TicketForwardingFailed> context)
    {
        var reason = $"{Capitalize(ToolNames.Of(context.Message.Tool))} n'a pas accepté la demande. L'équipe TicketHub en est avertie : elle la corrigera ou l'orientera autrement.";
        return inbox.ProcessOnceAsync<TicketFailureConsumer>(context, () =>
            lifecycle.FailedAsync(context.Message.TicketId, reason, Truncate(context.Message.Reason), context.CancellationToken));
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Truncate(string text) => text.Length <= 1_900 ? text : text[..1_900] + "…";
}

public sealed class TicketFailureConsumerDefinition : ConsumerDefinition<TicketFailureConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TicketFailureConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
