using MassTransit;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier.Consumers;

/// <summary>Keeps the index of open tickets as intake decided the ticket is now, once per message.</summary>
public sealed class TicketStatusChangedConsumer(IInbox inbox, OpenTicketIndex openTickets) : IConsumer<TicketStatusChanged>
{
    public Task Consume(ConsumeContext<TicketStatusChanged> context) =>
        inbox.ProcessOnceAsync<TicketStatusChangedConsumer>(context, () => openTickets.ApplyAsync(context.Message, context.CancellationToken));
}
