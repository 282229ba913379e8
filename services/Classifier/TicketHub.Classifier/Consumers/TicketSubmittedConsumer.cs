using MassTransit;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Classifier.Suggestions;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier.Consumers;

/// <summary>
/// Routes a submitted ticket: reads the collège, applies the rules, records the decision and
/// announces it, all in one transaction with the inbox record, so a redelivered message is routed
/// once and announced once.
/// </summary>
public sealed partial class TicketSubmittedConsumer(
    IInbox inbox,
    CollegeStore colleges,
    RoutingPolicy policy,
    SuggesterTraining suggesters,
    RoutedHistory history,
    RouteAnnouncer announcer,
    ILogger<TicketSubmittedConsumer> logger) : IConsumer<TicketSubmitted>
{
    public async Task Consume(ConsumeContext<TicketSubmitted> context)
    {
        var submitted = context.Message;
        var cancellationToken = context.CancellationToken;
        RouteDecision? route = null;

        var processed = await inbox.ProcessOnceAsync<TicketSubmittedConsumer>(context, async () =>
        {
            var college = (await colleges.FindAsync(submitted.Ticket.CollegeUai, cancellationToken))?.College;
            var ticket = submitted.Ticket;
            var suggestion = policy.WouldUseSuggestion(ticket) ? suggesters.Current.Suggest(ticket.Title, ticket.Description) : null;
            route = policy.Decide(ticket, submitted.CreatedAt, college, suggestion);
            await announcer.AnnounceAsync(submitted.TicketId, submitted.Reference, submitted.CreatedAt, submitted.Ticket, route, college, cancellationToken);
            await history.RecordAsync(submitted, cancellationToken);
        });

        if (processed)
        {
            LogRouted(submitted.Reference, route!.Target, route.Rule);
        }
        else
        {
            LogDuplicate(submitted.Reference, context.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} routed to {Target} by rule {Rule}")]
    private partial void LogRouted(string reference, string target, string rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} already routed (message {MessageId} redelivered): ignored")]
    private partial void LogDuplicate(string reference, Guid? messageId);
}
