using MassTransit;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Tool;
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
        builder.Services.AddConnectorPipeline<GlpiDelivery>(ToolDescriptor.Glpi);
        builder.Services.AddSingleton<ISyncStart, GlpiSyncStart>();
        builder.Services.AddAttachmentDocuments<GlpiDocuments>();
        builder.Services.AddSingleton<SyncStore>();
        builder.Services.AddSingleton<GlpiPeople>();
        builder.Services.AddSingleton<GlpiStatusSync>();
        builder.Services.AddHostedService<GlpiStatusSyncService>();
        builder.AddTicketHubBus(bus => bus.AddToolConsumers());
        return builder;
    }
}
