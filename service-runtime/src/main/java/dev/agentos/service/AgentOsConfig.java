package dev.agentos.service;

import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.CommandBackend;
import dev.agentos.nats.NatsConnectionSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything a role service reads from {@code agentos.*} (or {@code AGENTOS_*} env vars). */
@ConfigMapping(prefix = "agentos")
public interface AgentOsConfig {
  Nats nats();

  Worker worker();

  Reconcile reconcile();

  Workspace workspace();

  Processes process();

  Api api();

  Projects projects();

  Retention retention();

  /** How long ended cycles keep their state and artifacts; their history record stays. */
  interface Retention {
    @WithDefault("30d")
    Duration endedCycles();
  }

  /**
   * Each role's own agent: {@code agentos.agents.<role>.*}, or {@code .profile} to name one of the
   * {@link #profiles()}. A cycle that chooses no profile for a role uses this.
   */
  Map<String, Agent> agents();

  /**
   * Named agent profiles a submit may choose per role ({@code "agents":{"executor":"claude"}}):
   * {@code agentos.profiles.<name>.*}. A submit only names one; what runs is configured here.
   */
  Map<String, Profile> profiles();

  /**
   * Named checks a submit may ask Review to run ({@code "verify":["tests"]}): {@code
   * agentos.checks.<name>.*}. A workspace adds its own in {@code .agent-os/checks.yml}.
   */
  Map<String, CheckConfig> checks();

  /**
   * Model prices in USD per million tokens, {@code model=input/output} separated by commas, e.g.
   * {@code gpt-4.1=2/8,claude-sonnet-4-5=3/15}. A model without a price costs 0.
   */
  Optional<String> prices();

  /** How long a service that could not start (NATS not there yet) waits before it tries again. */
  @WithDefault("2s")
  Duration startRetry();

  /** Limits for cycles whose submit names none, and the ceiling no submit or resume may pass. */
  Budget budget();

  interface Budget extends Limits {
    /**
     * The highest limits a submit or a resume may set. A limit without a ceiling of its own is
     * capped at its default above, so by default a submit can lower the limits, never raise them.
     */
    Limits ceiling();
  }

  interface Limits {
    Optional<Long> tokens();

    Optional<Double> costUsd();

    Optional<Long> wallSeconds();
  }

  /**
   * The NATS connection (the keys every process shares, with the services' defaults); secrets come
   * from env or files, never from state.
   */
  interface Nats extends NatsConnectionSettings {
    @Override
    @WithDefault("nats://127.0.0.1:4222")
    List<String> servers();

    @Override
    @WithDefault("false")
    boolean tls();

    /**
     * How long a connection attempt waits, and (the NATS client takes it for every JetStream and KV
     * request) how long a request waits for its answer. A request in flight to a node that dies is
     * never answered: it waits this long before it is tried again on the node the client
     * reconnected to. 5 s made the SIGKILL of a follower node stall every cycle 4.5 s.
     */
    @Override
    @WithDefault("2s")
    Duration connectTimeout();

    /** JetStream replicas of every stream, bucket and store this service creates. */
    @WithDefault("1")
    int replicas();

    @WithDefault("7d")
    Duration eventsMaxAge();

    /** The most bytes each stream, KV bucket and the object store holds when created. */
    MaxBytes maxBytes();
  }

  interface MaxBytes {
    /** Each stream (work, events, tasks, dead letters, advisories): 256 MiB. */
    @WithDefault("268435456")
    long streams();

    /** Each KV bucket (cycles, history, projects, ...): 256 MiB. */
    @WithDefault("268435456")
    long buckets();

    /**
     * The artifact object store: 2 GiB. JetStream reserves every maximum against the account's file
     * limit, so together (about 4.75 GiB by default) they must fit it (8G in deploy/).
     */
    @WithDefault("2147483648")
    long artifacts();
  }

  interface Worker {
    @WithDefault("4")
    int concurrency();

    @WithDefault("30s")
    Duration ackWait();

    @WithDefault("5")
    int maxDeliver();

    @WithDefault("1000")
    int maxAckPending();

    @WithDefault("1s,5s,15s")
    List<Duration> retryDelays();

    @WithDefault("20s")
    Duration drainTimeout();

    /**
     * The margin for clocks that disagree between pods: a worker that could not renew its lease
     * stops its phase (and kills its agent) this long before the lease ends, so another worker
     * whose clock is ahead by less than this never takes over a phase whose agent still runs. Less
     * than a third of the ack-wait.
     */
    @WithDefault("250ms")
    Duration leaseSkew();

    /** How long one run of a phase may take before the worker stops it and gives up the claim. */
    @WithDefault("2h")
    Duration maxPhaseTime();

    /**
     * How long a claimed phase keeps trying a write refused for room (STORAGE_FULL) before it
     * pauses its cycle; the claim is kept and nothing it did runs again.
     */
    @WithDefault("60s")
    Duration storageWait();
  }

  /** Limits of the child processes (agents, checks, git) the service starts. */
  interface Processes {
    /** The first bytes of each output stream that are kept. */
    @WithDefault("1048576")
    int outputHeadBytes();

    /** The last bytes of each output stream that are kept; the middle is left out. */
    @WithDefault("1048576")
    int outputTailBytes();

    /** The whole output up to this many bytes, for callers that store it in the object store. */
    @WithDefault("4194304")
    int outputStoreBytes();

    /**
     * Where each CLI agent process (claude-code, codex, gemini-cli, aider) gets a HOME of its own,
     * never the service's; unset: {@code agentos-agent-homes} in the system's temporary directory.
     */
    Optional<String> scratchDir();

    /**
     * How to start {@code agentos} for a profile with {@code mcp: true} (the agent's MCP server is
     * {@code <this> mcp --agent}); a relative path is taken from the service's working directory.
     * Unset: {@code bin/agentos} there when it exists (the checkout {@code agentos up} starts the
     * services in), else {@code agentos} from the PATH.
     */
    Optional<String> mcpCommand();
  }

  interface Reconcile {
    @WithDefault("15s")
    Duration interval();

    /** How long a running cycle may go unchanged and unleased before it counts as orphaned. */
    Optional<Duration> staleAfter();

    @WithDefault("10m")
    Duration orphanAfter();
  }

  interface Workspace {
    /** Workspaces must lie under this directory when it is set. */
    Optional<String> root();

    /** Git workspaces ({@code workspace: {git: {url, ref}}}). */
    Git git();
  }

  /** Git workspaces: which remotes, this process's cache, the deadlines and the credentials. */
  interface Git {
    /**
     * Comma-separated URL prefixes a cycle's {@code workspace.git.url} may start with; none (the
     * default) turns git workspaces off.
     */
    Optional<String> allowedRemotes();

    /** This process's own cache (a scratch dir, an emptyDir); default: under the temp dir. */
    Optional<String> cacheDir();

    /** The deadline of every fetch and push. */
    @WithDefault("60s")
    Duration networkTimeout();

    /** The deadline of every other git command. */
    @WithDefault("60s")
    Duration localTimeout();

    /** An HTTPS token (set it from a Secret, e.g. AGENTOS_WORKSPACE_GIT_TOKEN); never logged. */
    Optional<String> token();

    /** A private key file for SSH remotes (mounted from a Secret). */
    Optional<String> sshKeyFile();

    /** The known_hosts file SSH checks the remote's host key against. */
    Optional<String> knownHostsFile();

    /**
     * Whether a cycle of a project the registry does not hold may ask to fast-forward its base ref
     * at COMPLETED ({@code workspace.git.deliver: FAST_FORWARD}); a registered project says so with
     * its own {@code allow_fast_forward}.
     */
    @WithDefault("false")
    boolean fastForwardAllowed();

    /** A cached worktree or repository unused this long is removed. */
    @WithDefault("168h")
    Duration cacheMaxAge();

    /** Above this size the cache's least recently used worktrees, then repositories, go. */
    @WithDefault("21474836480")
    long cacheMaxBytes();

    /** How often the cache is swept. */
    @WithDefault("10m")
    Duration cacheSweepInterval();
  }

  /** The project registry ({@code agentos-projects}). */
  interface Projects {
    /**
     * Whether the operator's own account, too, may submit only for registered projects. Teams
     * always may; a single-user setup leaves this off and submits for any project name.
     */
    @WithDefault("false")
    boolean required();
  }

  interface Api {
    @WithDefault("65536")
    int maxRequestBytes();
  }

  /** One role's agent: a profile by name, or the settings inline. */
  interface Agent extends AgentFields {
    /** The profile this role uses unless a cycle chooses another; overrides the inline settings. */
    Optional<String> profile();

    /** Prompts are kept under this many characters; the least important parts go first. */
    @WithDefault("120000")
    int maxPromptChars();
  }

  /** An agent profile: how to reach the agent, what it may receive, what it costs. */
  interface Profile extends AgentFields {
    /** USD per million input/output tokens, e.g. {@code 3/15}; else the price table's entry. */
    Optional<String> price();

    /** The projects that may choose this profile; every project when unset. */
    Optional<List<String>> projects();
  }

  /** What an agent is, shared by a role's inline agent and a profile. */
  interface AgentFields {
    /**
     * An unknown value fails start-up with the allowed ones: command, openai, anthropic, ollama,
     * claude-code, codex, gemini-cli, aider, noop.
     */
    @WithDefault("command")
    AgentSettings.Backend backend();

    Optional<String> model();

    Optional<String> baseUrl();

    /**
     * Secret: from {@code AGENTOS_AGENTS_<ROLE>_API_KEY} or {@code
     * AGENTOS_PROFILES_<NAME>_API_KEY}.
     */
    Optional<String> apiKey();

    /**
     * For the command backend: the command line, split on spaces (use a script for more). For a CLI
     * preset (claude-code, codex, ...): where the tool is, and any arguments before the preset's.
     */
    Optional<String> command();

    /** How a command agent gets the prompt: stdin or argument; anything else fails start-up. */
    @WithDefault("stdin")
    CommandBackend.PromptMode promptMode();

    @WithDefault("10m")
    Duration timeout();

    Optional<Integer> maxTokens();

    Optional<Double> temperature();

    /**
     * The names of the environment variables the agent may receive from the service's environment
     * (e.g. {@code ANTHROPIC_API_KEY} for a CLI agent); nothing else is passed.
     */
    Optional<List<String>> env();

    /** How a model agent works with tools; see {@link ToolsConfig}. */
    ToolsConfig tools();

    /** Claude Code's {@code --permission-mode}, e.g. {@code acceptEdits}. */
    Optional<String> permissionMode();

    /** Claude Code's {@code --allowedTools}, e.g. {@code Read,Edit,Bash(git diff:*)}. */
    Optional<List<String>> allowedTools();

    /** Claude Code's {@code --max-turns}. */
    Optional<Integer> maxTurns();

    /** Codex's {@code --sandbox}: read-only, workspace-write or danger-full-access. */
    Optional<String> sandbox();

    /**
     * Hand a claude-code or codex agent Agent OS's own MCP server ({@code agentos mcp --agent}):
     * its {@code record_decision} and {@code ask_person} tools. See {@link Processes#mcpCommand()}.
     */
    @WithDefault("false")
    boolean mcp();
  }

  /** A named check: the shell line Review runs in the workspace. */
  interface CheckConfig {
    String run();

    /** How long it may run; else {@code agentos.review.verify-timeout}. */
    Optional<Duration> timeout();

    /** The projects that may name it; every project when unset. */
    Optional<List<String>> projects();
  }
}
