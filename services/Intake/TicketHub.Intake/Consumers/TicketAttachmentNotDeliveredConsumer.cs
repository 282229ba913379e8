using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Indicators;
using TicketHub.Intake.Notifications;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>
/// A connector says one of the ticket's files will never reach its tool: the ticket's timeline
/// says so, once, so that the collège sends the file another way (ADR 11).
/// </summary>
public sealed partial class TicketAttachmentNotDeliveredConsumer(IInbox inbox, TicketNotifier notifier, TicketMetrics metrics, TimeProvider clock, ILogger<TicketAttachmentNotDeliveredConsumer> logger)
    : IConsumer<TicketAttachmentNotDelivered>
{
    public Task Consume(ConsumeContext<TicketAttachmentNotDelivered> context)
    {
        var notice = context.Message;
        return inbox.ProcessOnceAsync<TicketAttachmentNotDeliveredConsumer>(context, async () =>
        {
            if (!await UndeliveredAttachments.RecordAsync(notice, clock.GetUtcNow(), context.CancellationToken))
            {
                LogNotRecorded(notice.AttachmentId, notice.Reference, notice.Tool);
                return;
            }

            metrics.FileRefused(notice.Tool);
            await notifier.NotifyAsync(notice.TicketId, NotificationKinds.AttachmentRefused,
                UndeliveredAttachments.Text(notice.FileName, notice.Tool, notice.Reason.Trim().TrimEnd('.')), context.CancellationToken);
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId} of ticket {Reference} not delivered to {Tool}: already in the timeline, or the ticket is unknown here")]
    private partial void LogNotRecorded(Guid attachmentId, string reference, string tool);
}

public sealed class TicketAttachmentNotDeliveredConsumerDefinition : ConsumerDefinition<TicketAttachmentNotDeliveredConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TicketAttachmentNotDeliveredConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}
