using MassTransit;
using TicketHub.Classifier.Consumers;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier;

/// <summary>The classifier's composition root.</summary>
public static class ApplicationServices
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.SectionName);

        builder.Services.AddSingleton<CollegeStore>();
        builder.Services.AddSingleton<RoutingDecisionStore>();
        builder.Services.AddSingleton<RoutingPolicy>();

        // Hosted services start in registration order: migrations, then the seed, then the bus.
        builder.AddTicketHubDatabase(typeof(Program).Assembly);
        builder.Services.AddHostedService<RegistrySeeder>();
        builder.AddTicketHubBus(bus => bus.AddConsumer<TicketSubmittedConsumer, TicketSubmittedConsumerDefinition>());
        return builder;
    }
}
