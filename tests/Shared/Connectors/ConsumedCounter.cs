using MassTransit;

namespace TicketHub.Testing;

/// <summary>
/// Counts finished deliveries of <typeparamref name="T"/>, redeliveries of one message included
/// (the harness's own lists keep a message once per id).
/// </summary>
internal sealed class ConsumedCounter<T> : IConsumeObserver
    where T : class
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class => Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class
    {
        if (context.Message is T)
        {
            Interlocked.Increment(ref _count);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception)
        where TMessage : class => Task.CompletedTask;
}
