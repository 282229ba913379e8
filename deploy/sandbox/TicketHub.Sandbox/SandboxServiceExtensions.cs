using TicketHub.Sandbox.Faults;
using TicketHub.Sandbox.PassOmere;
using TicketHub.Sandbox.Glpi;
using TicketHub.Sandbox.Itop;
using TicketHub.Sandbox.Mail;

namespace TicketHub.Sandbox;

internal static class SandboxServiceExtensions
{
    /// <summary>The sandbox's composition root: no bus, no database, state in memory.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery();
        builder.Services.AddOptions<GlpiSandboxOptions>()
            .BindConfiguration(GlpiSandboxOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.UserToken), "Sandbox:Glpi:UserToken is required.")
            .Validate(options => options.SessionLifetime > TimeSpan.Zero, "Sandbox:Glpi:SessionLifetime must be positive.")
            .Validate(options => TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _), "Sandbox:Glpi:TimeZone is not a known time zone.")
            .AddFaultInjector(GlpiApi.Tool, $"{GlpiSandboxOptions.SectionName}:Faults", options => options.Faults)
            .ValidateOnStart();
        builder.Services.AddSingleton<GlpiDates>();
        builder.Services.AddSingleton<GlpiStore>();
        builder.Services.AddItopSandbox();
        builder.Services.AddExternalToolSandboxes();
        builder.Services.AddMailSandbox();
        return builder;
    }
}
