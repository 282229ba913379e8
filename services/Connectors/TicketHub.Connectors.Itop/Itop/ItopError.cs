namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// A non-zero <c>code</c> in iTop's answer, which comes with HTTP 200 all the same. rest.php
/// prefixes the message of an exception with "Error: ".
/// </summary>
internal sealed record ItopError(int Code, string Message)
{
    /// <summary>Wrong credentials, a REST account without the "REST Services User" profile, or missing rights on the class.</summary>
    public const int Unauthorized = 1;

    /// <summary>The operation failed: refused value, missing mandatory field, unknown object, invalid stimulus…</summary>
    public const int InternalError = 100;

    /// <summary>The object a key names does not exist (deleted in iTop since).</summary>
    public bool IsUnknownObject =>
        Code == InternalError
        && (Message.Contains("Invalid object", StringComparison.Ordinal) || Message.Contains("No item found", StringComparison.Ordinal));

    /// <summary>The class named does not exist in this iTop (its module is not installed).</summary>
    public bool IsUnknownClass =>
        Code == InternalError && Message.Contains("is not a valid class", StringComparison.Ordinal);

    public override string ToString() => $"code {Code}: {Message}";
}

/// <summary>iTop answered the call with a non-zero code: it refused or failed the operation.</summary>
internal sealed class ItopException(string operation, ItopError error)
    : Exception($"iTop refused {operation} ({error})")
{
    public ItopError Error { get; } = error;
}

/// <summary>
/// The search for a ticket by its hub reference failed, or its answer could not be read: whether
/// iTop holds the ticket is unknown, so the message is tried again later; never taken for "not found".
/// </summary>
internal sealed class ItopLookupException(string reference, Exception inner)
    : Exception($"iTop could not say whether it holds ticket {reference}: {inner.Message}", inner);
