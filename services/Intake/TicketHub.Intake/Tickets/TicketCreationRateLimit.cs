using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// Section <c>TicketCreation:RateLimit</c>: how many tickets one caller may create. A person (signed
/// in) files a few tickets a day; a machine (API key) may send a batch.
/// </summary>
public sealed class TicketCreationRateLimitOptions
{
    public const string SectionName = "TicketCreation:RateLimit";

    [Range(1, 100_000)]
    public int PerPersonPerMinute { get; set; } = 10;

    [Range(1, 100_000)]
    public int PerKeyPerSecond { get; set; } = 50;
}

/// <summary>
/// Limits <c>POST /api/v1/tickets</c> per caller (<see cref="HubUser.Id"/>: a person or an API key),
/// over a fixed window; beyond it, 429 with <c>Retry-After</c> and a French problem. The gateway
/// has its own limits; this one holds for every request that reaches intake, wherever it comes from.
/// </summary>
public static class TicketCreationRateLimit
{
    public static IServiceCollection AddTicketCreationRateLimit(this IServiceCollection services)
    {
        services.AddOptions<TicketCreationRateLimitOptions>()
            .BindConfiguration(TicketCreationRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(TicketsApi.CreationPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<TicketCreationRateLimitOptions>>().Value;
                return HubUser.From(context.User) switch
                {
                    // Reached only without a user when authorization let it through: nothing to count.
                    null => RateLimitPartition.GetNoLimiter("anonymous"),
                    { IsApiKey: true } key => RateLimitPartition.GetFixedWindowLimiter($"key:{key.Id}", _ => Window(options.PerKeyPerSecond, TimeSpan.FromSeconds(1))),
                    var person => RateLimitPartition.GetFixedWindowLimiter($"person:{person.Id}", _ => Window(options.PerPersonPerMinute, TimeSpan.FromMinutes(1))),
                };
            });
            // The body is written by the status-code pages (a French ProblemDetails, like every 429).
            limiter.OnRejected = (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
