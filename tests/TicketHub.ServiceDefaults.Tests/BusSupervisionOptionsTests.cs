using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>The bus supervisor's settings are checked when the service starts (ADR 12).</summary>
public sealed class BusSupervisionOptionsTests
{
    [TestCase("00:05:00", "00:01:00", "Messaging:Supervision:LiveFailAfter")]
    [TestCase("00:00:00", "00:03:00", "Messaging:Supervision:RestartAfter")]
    public async Task A_service_with_inconsistent_supervision_settings_does_not_start_and_names_the_key(string restartAfter, string liveFailAfter, string key)
    {
        using var host = Build(new()
        {
            ["Messaging:Supervision:RestartAfter"] = restartAfter,
            ["Messaging:Supervision:LiveFailAfter"] = liveFailAfter,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain(key));
    }

    [Test]
    public void The_defaults_restart_after_45_seconds_and_fail_liveness_after_3_minutes()
    {
        var options = new BusSupervisionOptions();

        Assert.That((options.RestartAfter, options.LiveFailAfter), Is.EqualTo((TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(3))));
        Assert.That(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)), Is.Empty);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "TicketHub.Supervised", EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["RabbitMq:Host"] = "unused",
            ["RabbitMq:Username"] = "unused",
            ["RabbitMq:Password"] = "unused",
        });
        builder.AddTicketHubBus();
        return builder.Build();
    }
}
