using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Itop;

/// <summary>Registers the emulated iTop in the sandbox: one line in the composition root, one in Program.</summary>
internal static class ItopSandboxExtensions
{
    public static IServiceCollection AddItopSandbox(this IServiceCollection services)
    {
        services.AddOptions<ItopSandboxOptions>()
            .BindConfiguration(ItopSandboxOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.AuthUser), "Sandbox:Itop:AuthUser is required.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.AuthPassword), "Sandbox:Itop:AuthPassword is required.")
            .Validate(options => TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _), "Sandbox:Itop:TimeZone is not a known time zone.")
            .Validate(options => options.TicketClasses is ItopClassNames.Itil or ItopClassNames.Simple, "Sandbox:Itop:TicketClasses must be itil or simple.")
            .Validate(options => options.Organizations.TrueForAll(id => id > 0), "Sandbox:Itop:Organizations must hold ids of 1 or more.")
            .AddFaultInjector(ItopRestApi.Tool, $"{ItopSandboxOptions.SectionName}:Faults", options => options.Faults)
            .ValidateOnStart();
        services.AddSingleton<ItopDates>();
        services.AddSingleton<ItopStore>();
        return services;
    }

    /// <summary><c>/itop/webservices/rest.php</c>, the pages under <c>/itop</c> and the script JSON under <c>/itop/_sandbox</c>.</summary>
    public static IEndpointRouteBuilder MapItop(this IEndpointRouteBuilder app) =>
        app.MapItopRestApi().MapItopPages();
}
