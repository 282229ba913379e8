using MassTransit;
using TicketHub.Connectors.Glpi.Comments;
using TicketHub.Connectors.Glpi.Consumers;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Glpi;

internal static class ApplicationServiceExtensions
{
    /// <summary>The connector's composition root.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTicketHubDatabase(typeof(Program).Assembly);
        builder.Services.AddGlpiClient();
        builder.Services.AddSingleton<GlpiTicketMapper>();
        builder.Services.AddSingleton<GlpiCapabilities>();
        builder.Services.AddSingleton<GlpiRequesters>();
        builder.Services.AddSingleton<DeliveryLedger>();
        builder.Services.AddScoped<GlpiTicketForwarder>();
        builder.Services.AddAttachmentDocuments<GlpiDocuments>();
        builder.Services.AddScoped<RerouteNotifier>();
        builder.Services.AddScoped<GlpiCommentWriter>();
        builder.Services.AddSingleton<SyncStore>();
        builder.Services.AddSingleton<GlpiPeople>();
        builder.Services.AddSingleton<GlpiStatusSync>();
        builder.Services.AddHostedService<GlpiStatusSyncService>();
        builder.AddTicketHubBus(bus =>
        {
            bus.AddConsumer<TicketRoutedConsumer, TicketRoutedConsumerDefinition>();
            bus.AddConsumer<TicketReroutedConsumer, TicketReroutedConsumerDefinition>();
            bus.AddConsumer<TicketCommentAddedConsumer, TicketCommentAddedConsumerDefinition>();
        });
        return builder;
    }
}
