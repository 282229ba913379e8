using Microsoft.Extensions.Options;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.PassOmere;

/// <summary>Registers PASS and Omère, each with its options (validated at start) and its own store.</summary>
internal static class ExternalToolSandboxExtensions
{
    public static IServiceCollection AddExternalToolSandboxes(this IServiceCollection services)
    {
        foreach (var tool in ExternalTool.All)
        {
            services.AddOptions<ExternalToolOptions>(tool.Key)
                .BindConfiguration(tool.SectionName)
                .Validate(options => !string.IsNullOrWhiteSpace(options.ApiToken), $"{tool.SectionName}:ApiToken is required.")
                .AddFaultInjector(tool.Key, $"{tool.SectionName}:Faults", options => options.Faults)
                .ValidateOnStart();
            services.AddKeyedSingleton(tool.Key, (provider, _) => new ExternalToolStore(
                tool, provider.GetRequiredService<IOptionsMonitor<ExternalToolOptions>>().Get(tool.Key), provider.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    /// <summary>For each tool: the contract under <c>/{tool}/api</c>, the pages under <c>/{tool}</c>.</summary>
    public static IEndpointRouteBuilder MapExternalTools(this IEndpointRouteBuilder app)
    {
        foreach (var tool in ExternalTool.All)
        {
            app.MapExternalToolApi(tool).MapExternalToolPages(tool);
        }

        return app;
    }
}
