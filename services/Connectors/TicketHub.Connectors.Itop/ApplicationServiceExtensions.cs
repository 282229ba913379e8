using MassTransit;
using TicketHub.Connectors.Itop.Consumers;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Itop;

internal static class ApplicationServiceExtensions
{
    /// <summary>The connector's composition root.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTicketHubDatabase(typeof(Program).Assembly);
        builder.Services.AddItopClient();

        builder.Services.AddSingleton<ItopTicketClasses>();
        builder.Services.AddSingleton<ItopTicketMapper>();
        builder.Services.AddSingleton<DeliveryLedger>();
        builder.Services.AddScoped<ItopTicketForwarder>();
        builder.Services.AddAttachmentDocuments<ItopDocuments>();
        builder.Services.AddScoped<RerouteNotifier>();

        builder.Services.AddSingleton<PublicLogGate>();
        builder.Services.AddScoped<PublicLogWriter>();
        builder.Services.AddScoped<CommentForwarder>();

        builder.Services.AddSingleton<SyncStore>();
        builder.Services.AddSingleton<RequestChangeReader>();
        builder.Services.AddHostedService<StatusSync>();

        builder.AddTicketHubBus(bus =>
        {
            bus.AddConsumer<TicketRoutedConsumer, TicketRoutedConsumerDefinition>();
            bus.AddConsumer<TicketReroutedConsumer, TicketReroutedConsumerDefinition>();
            bus.AddConsumer<TicketCommentAddedConsumer, TicketCommentAddedConsumerDefinition>();
        });
        return builder;
    }
}
