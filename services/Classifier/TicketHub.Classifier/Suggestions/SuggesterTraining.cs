using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults.Hosting;

namespace TicketHub.Classifier.Suggestions;

/// <summary>
/// The zone and category suggester in use, trained offline: at start and then every
/// <see cref="SuggestionOptions.TrainingInterval"/>, in the background, from the shipped labelled set
/// and the hub's routed history (<see cref="RoutedHistory"/>, re-routes being corrections), then swapped
/// in at once. Until the first training ends, and whenever one fails, the suggester in use stays.
/// </summary>
public sealed partial class SuggesterTraining(RoutedHistory history, IOptions<SuggestionOptions> options, ILogger<SuggesterTraining> logger)
    : PeriodicWork(logger)
{
    private static readonly IReadOnlyList<LabelledRequest> Shipped = LabelledSet.Shipped();

    private RequestSuggester _current = new(Shipped);

    /// <summary>The suggester to ask now. A replaced one is left to the garbage collector (its index is in memory), never disposed under a reader.</summary>
    public RequestSuggester Current => Volatile.Read(ref _current);

    /// <summary>Trains a suggester on the labelled set and the routed history as it is now, and puts it in use.</summary>
    /// <returns>How many examples it learned from.</returns>
    public async Task<int> TrainAsync(CancellationToken cancellationToken)
    {
        var learned = await history.ExamplesAsync(cancellationToken);
        var suggester = new RequestSuggester(Shipped.Concat(learned));
        Volatile.Write(ref _current, suggester);
        LogTrained(Shipped.Count, learned.Count);
        return suggester.Examples;
    }

    protected override TimeSpan Interval => options.Value.TrainingInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => TrainAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggester trained on {Labelled} labelled requests and {Learned} routed ones")]
    private partial void LogTrained(int labelled, int learned);
}

/// <summary>The <c>Suggestions</c> section.</summary>
public sealed class SuggestionOptions
{
    public const string SectionName = "Suggestions";

    /// <summary>How often the suggester learns again from the routed history (6 hours by default).</summary>
    public TimeSpan TrainingInterval { get; set; } = TimeSpan.FromHours(6);
}
