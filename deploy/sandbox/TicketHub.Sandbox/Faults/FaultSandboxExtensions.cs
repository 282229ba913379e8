using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TicketHub.Sandbox.Faults;

/// <summary>
/// Fault injection, the same for every emulated tool: registered beside the tool's options, applied
/// by a filter on the tool's API endpoints only (never its pages nor its <c>_sandbox</c> JSON), and
/// steered through <c>/{tool}/_sandbox/faults</c>. The same filter keeps the tool's
/// <see cref="RequestJournal"/>, read at <c>/{tool}/_sandbox/requests</c>.
/// </summary>
internal static class FaultSandboxExtensions
{
    /// <summary>What a load balancer answers when no server is left behind it (HAProxy's page).</summary>
    private const string UnavailablePage =
        "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";

    private const string GatewayTimeoutPage =
        "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";

    /// <summary>
    /// Validates the tool's <c>Faults</c> section with the tool's options (messages name the key) and
    /// registers the tool's <see cref="FaultInjector"/> under <paramref name="tool"/>.
    /// </summary>
    public static OptionsBuilder<TOptions> AddFaultInjector<TOptions>(
        this OptionsBuilder<TOptions> options, string tool, string section, Func<TOptions, FaultOptions> faults)
        where TOptions : class
    {
        options.Services.TryAddSingleton<RequestJournal>();
        options.Services.AddSingleton<IValidateOptions<TOptions>>(new FaultValidator<TOptions>(options.Name, section, faults));
        options.Services.AddKeyedSingleton(tool, (provider, _) =>
            new FaultInjector(section, faults(provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(options.Name))));
        return options;
    }

    /// <summary>
    /// Injects <paramref name="tool"/>'s faults into these endpoints. A failure is answered by
    /// <paramref name="failure"/>, as the tool shows an internal error.
    /// </summary>
    public static TBuilder InjectFaults<TBuilder>(this TBuilder builder, string tool, Func<HttpContext, IResult> failure)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) => ApplyAsync(context, next, tool, failure));

    /// <summary><c>GET</c>, <c>PUT</c> and <c>DELETE</c> <c>faults</c>, and <c>GET requests</c>, under the tool's <c>_sandbox</c> group.</summary>
    public static RouteGroupBuilder MapFaults(this RouteGroupBuilder sandbox, string tool)
    {
        sandbox.MapGet("/requests", (RequestJournal journal) => Results.Json(journal.Of(tool)));
        sandbox.MapGet("/faults", (HttpContext http) => Results.Json(Injector(http, tool).State()));
        sandbox.MapPut("/faults", (HttpContext http, FaultChange change) =>
            Injector(http, tool).Change(change) is { } problem
                ? Results.BadRequest(new { error = problem })
                : Results.Json(Injector(http, tool).State()));
        sandbox.MapDelete("/faults", (HttpContext http) =>
        {
            Injector(http, tool).Reset();
            return Results.NoContent();
        });
        return sandbox;
    }

    private static FaultInjector Injector(HttpContext http, string tool) =>
        http.RequestServices.GetRequiredKeyedService<FaultInjector>(tool);

    private static async ValueTask<object?> ApplyAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, string tool, Func<HttpContext, IResult> failure)
    {
        var http = context.HttpContext;
        await http.RequestServices.GetRequiredService<RequestJournal>().RecordAsync(tool, http, http.RequestServices.GetRequiredService<TimeProvider>());
        var injector = Injector(http, tool);
        var isWrite = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        switch (injector.Next(isWrite))
        {
            case Fault.Down:
                return Results.Text(UnavailablePage, "text/html", statusCode: StatusCodes.Status503ServiceUnavailable);
            case Fault.Failure:
                return failure(http);
            case Fault.Timeout:
                await HoldAsync(http, injector.TimeoutDelay);
                return http.RequestAborted.IsCancellationRequested
                    ? Results.Empty
                    : Results.Text(GatewayTimeoutPage, "text/html", statusCode: StatusCodes.Status504GatewayTimeout);
            case Fault.TimeoutAfterEffect:
                // The handler runs (and changes the store) now; only its answer waits.
                var answer = await next(context);
                await HoldAsync(http, injector.TimeoutDelay);
                return http.RequestAborted.IsCancellationRequested ? Results.Empty : answer;
            default:
                return await next(context);
        }
    }

    /// <summary>Holds the answer for <paramref name="delay"/>, or until the client gives up and closes the connection.</summary>
    private static async Task HoldAsync(HttpContext http, TimeSpan delay) =>
        await Task.Delay(delay, http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestAborted)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>Fails the start with a message naming the faulty key, e.g. <c>Sandbox:Glpi:Faults:FailureRate</c>.</summary>
    private sealed class FaultValidator<TOptions>(string? name, string section, Func<TOptions, FaultOptions> faults) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options) =>
            name != optionsName ? ValidateOptionsResult.Skip
            : faults(options).Problem(section) is { } problem ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
    }
}
