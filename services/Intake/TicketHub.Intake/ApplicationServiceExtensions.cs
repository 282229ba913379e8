using MassTransit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TicketHub.Intake.Attachments;
using TicketHub.Intake.Consumers;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.DeadLetters;
using TicketHub.Intake.Followers;
using TicketHub.Intake.Indicators;
using TicketHub.Intake.Notifications;
using TicketHub.Intake.Relay;
using TicketHub.Intake.Tickets;
using TicketHub.Intake.Triage;
using TicketHub.Intake.Visits;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake;

public static class ApplicationServiceExtensions
{
    /// <summary>
    /// Bodies larger than this are refused with 413 (a ticket is at most ~60 KB of JSON). A ticket
    /// sent as a form with files has its own, larger limit, for that request only (<see cref="Attachments.TicketForm"/>).
    /// </summary>
    private const long DefaultMaxRequestBodySize = 256 * 1024;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Intake:MaxRequestBodySize", DefaultMaxRequestBodySize));

        builder.AddTicketHubDatabase(typeof(Program).Assembly);
        builder.AddTicketHubBus(bus =>
        {
            bus.AddConsumer<TicketRoutedConsumer, TicketRoutedConsumerDefinition>();
            bus.AddConsumer<TicketForwardedConsumer, TicketForwardedConsumerDefinition>();
            bus.AddConsumer<TicketFailureConsumer, TicketFailureConsumerDefinition>();
            bus.AddConsumer<TicketAttachmentNotDeliveredConsumer, TicketAttachmentNotDeliveredConsumerDefinition>();
            bus.AddConsumer<ExternalTicketUpdatedConsumer, ExternalTicketUpdatedConsumerDefinition>();
            bus.AddConsumer<RelayItemRequestedConsumer, RelayItemRequestedConsumerDefinition>();
            bus.AddConsumer<MessageDeadLetteredConsumer, MessageDeadLetteredConsumerDefinition>();
            bus.AddConsumer<NotificationMailConsumer, NotificationMailConsumerDefinition>();
        });
        builder.Services.AddTicketCreationRateLimit();
        builder.Services.AddOptions<TicketQuotaOptions>().BindConfiguration(TicketQuotaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TicketQuota>();
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<TicketLifecycle>();
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName)
            .Validate(options => string.IsNullOrEmpty(options.SigningKey) || options.SigningKey.Length >= 32,
                "Notifications:SigningKey doit compter au moins 32 caractères / must be at least 32 characters.")
            .Validate(options => !options.Enabled || MimeKit.MailboxAddress.TryParse(options.From, out _),
                "Notifications:From doit être une adresse électronique / must be an e-mail address.")
            .ValidateOnStart();
        builder.Services.AddSingleton<NotificationLinks>();
        builder.Services.AddSingleton<NotificationPreferences>();
        builder.Services.AddSingleton<TicketNotifier>();
        builder.Services.AddSingleton<ReplyMailbox>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReplyMailbox>());
        builder.Services.AddSingleton<DigestSender>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DigestSender>());
        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddSingleton<TriageStore>();
        builder.Services.AddSingleton<ConversationStore>();
        builder.Services.AddSingleton<FollowerStore>();
        builder.Services.AddSingleton<RelayStore>();
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddOptions<SchoolCalendarOptions>().BindConfiguration(SchoolCalendarOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SchoolCalendar>();
        builder.Services.AddSingleton<IndicatorsStore>();
        builder.Services.AddSingleton<VisitStore>();
        builder.Services.AddSingleton<TicketMetrics>();
        builder.Services.AddHostedService<OpenTicketsSampler>();
        return builder;
    }
}
