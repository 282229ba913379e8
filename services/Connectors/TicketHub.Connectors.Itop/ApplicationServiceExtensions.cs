using MassTransit;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Connectors.Itop.Sync;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Tool;
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

        builder.Services.AddSingleton<ItopTicketMapper>();
        builder.Services.AddConnectorPipeline<ItopDelivery>(ToolDescriptor.Itop);
        builder.Services.AddSingleton<ISyncStart, ItopSyncStart>();
        builder.Services.AddAttachmentDocuments<ItopDocuments>();

        builder.Services.AddSingleton<PublicLogGate>();
        builder.Services.AddScoped<PublicLogWriter>();

        builder.Services.AddSingleton<SyncStore>();
        builder.Services.AddSingleton<RequestChangeReader>();
        builder.Services.AddHostedService<StatusSync>();

        builder.AddTicketHubBus(bus => bus.AddToolConsumers());
        return builder;
    }
}
