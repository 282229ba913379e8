using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>
/// A ticket that cannot reach its destination is shown as <c>failed</c> with the reason, never left
/// silently in <c>received</c> or <c>routed</c>: either a connector says the tool refused it, or a
/// consumer exhausted its retries and MassTransit published a <see cref="Fault{T}"/> (the message
/// itself waits in that consumer's <c>_error</c> queue).
/// </summary>
public sealed class TicketFailureConsumer(IInbox inbox, TicketStore tickets) :
    IConsumer<TicketForwardingFailed>,
    IConsumer<Fault<TicketSubmitted>>,
    IConsumer<Fault<TicketRouted>>
{
    public Task Consume(ConsumeContext<TicketForwardingFailed> context) =>
        MarkFailedAsync(context, context.Message.TicketId,
            $"{Capitalize(ToolNames.Of(context.Message.Tool))} a refusé la demande : {context.Message.Reason}");

    public Task Consume(ConsumeContext<Fault<TicketSubmitted>> context) =>
        MarkFailedAsync(context, context.Message.Message.TicketId,
            $"L'orientation de la demande a échoué ({Describe(context.Message)}). Le Pôle TIE a été alerté.");

    public Task Consume(ConsumeContext<Fault<TicketRouted>> context) =>
        MarkFailedAsync(context, context.Message.Message.TicketId,
            $"La transmission de la demande a échoué ({Describe(context.Message)}). Le Pôle TIE a été alerté.");

    private Task MarkFailedAsync(ConsumeContext context, Guid ticketId, string reason) =>
        inbox.ProcessOnceAsync<TicketFailureConsumer>(context, transaction =>
            tickets.ApplyFailureAsync(transaction, ticketId, Truncate(reason), context.CancellationToken));

    private static string Describe(Fault fault)
    {
        var exception = fault.Exceptions.FirstOrDefault();
        return exception is null ? "erreur inconnue" : $"{exception.ExceptionType}: {exception.Message}";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Truncate(string text) => text.Length <= 1_900 ? text : text[..1_900] + "…";
}

public sealed class TicketFailureConsumerDefinition : ConsumerDefinition<TicketFailureConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TicketFailureConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
