namespace ManifestBuild.Relay;

/// <summary>What the relay answered to a publish: the OK message's fields.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Accepted">OK's true/false ("duplicate:" is accepted).</param>
/// <param name="Message">OK's message, with its machine prefix ("invalid:", "duplicate:", ...), or "".</param>
public sealed record RelayPublishResult(string EventId, bool Accepted, string Message);
