using MassTransit;
using TicketHub.Connectors.Glpi.Consumers;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
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
        builder.Services.AddSingleton<ExternalTicketStore>();
        builder.Services.AddScoped<GlpiTicketForwarder>();
        builder.Services.AddScoped<RerouteNotifier>();
        builder.AddTicketHubBus(bus =>
        {
            bus.AddConsumer<TicketRoutedConsumer, TicketRoutedConsumerDefinition>();
            bus.AddConsumer<TicketReroutedConsumer, TicketReroutedConsumerDefinition>();
        });
        return builder;
    }
}
