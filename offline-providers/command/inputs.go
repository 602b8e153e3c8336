package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Property names of command:remote:Command, as the @pulumi/command SDK sends them.
const (
	keyConnection             = "connection"
	keyCreate                 = "create"
	keyUpdate                 = "update"
	keyDelete                 = "delete"
	keyEnvironment            = "environment"
	keyStdin                  = "stdin"
	keyLogging                = "logging"
	keyTriggers               = "triggers"
	keyAddPreviousOutputInEnv = "addPreviousOutputInEnv"
	keyStdout                 = "stdout"
	keyStderr                 = "stderr"
)

// The values of logging: which streams are copied to the engine log.
const (
	loggingStdout          = "stdout"
	loggingStderr          = "stderr"
	loggingStdoutAndStderr = "stdoutAndStderr"
	loggingNone            = "none"
)

// Defaults the SDK documents; applied when a value is absent.
const (
	defaultPort                   = 22
	defaultUser                   = "root"
	defaultDialErrorLimit         = 10
	defaultPerDialTimeout         = 15 // seconds
	defaultLogging                = loggingStdoutAndStderr
	defaultAddPreviousOutputInEnv = true
)

// commandInputs are the inputs of one Command, read from its property map.
type commandInputs struct {
	Connection             connection
	Create, Update, Delete string
	Environment            map[string]string
	Stdin                  string
	HasStdin               bool
	Logging                string
	AddPreviousOutputInEnv bool

	// secret says which top-level inputs hold a secret: a secret command is
	// not repeated in error messages.
	secret map[string]bool
}

// connection says how to reach the host; Proxy, when set, is a jump host
// through which the connection to Host is tunnelled.
type connection struct {
	Host               string
	Port               int
	User               string
	Password           string
	PrivateKey         string
	PrivateKeyPassword string
	AgentSocketPath    string
	DialErrorLimit     int // failed dials before giving up; -1 = no limit
	PerDialTimeout     int // seconds per dial (TCP + SSH handshake); 0 = no limit
	HostKey            string
	Proxy              *connection
}

// readInputs reads a Command's inputs (or its state, which holds the inputs
// too). Type errors are returned with their property paths.
func readInputs(m resource.PropertyMap) (commandInputs, []fieldError) {
	r := &propReader{}
	in := commandInputs{
		Create:                 r.str(m, keyCreate, keyCreate),
		Update:                 r.str(m, keyUpdate, keyUpdate),
		Delete:                 r.str(m, keyDelete, keyDelete),
		Environment:            r.stringMap(m, keyEnvironment, keyEnvironment),
		Stdin:                  r.str(m, keyStdin, keyStdin),
		Logging:                r.str(m, keyLogging, keyLogging),
		AddPreviousOutputInEnv: r.boolean(m, keyAddPreviousOutputInEnv, keyAddPreviousOutputInEnv, defaultAddPreviousOutputInEnv),
		secret:                 map[string]bool{},
	}
	_, in.HasStdin = r.value(m, keyStdin)
	if in.Logging == "" {
		in.Logging = defaultLogging
	}
	for k, v := range m {
		if v.ContainsSecrets() {
			in.secret[string(k)] = true
		}
	}
	if c := r.object(m, keyConnection, keyConnection); c != nil {
		in.Connection = readConnection(r, c, keyConnection)
		if p := r.object(c, "proxy", keyConnection+".proxy"); p != nil {
			proxy := readConnection(r, p, keyConnection+".proxy")
			in.Connection.Proxy = &proxy
		}
	}
	return in, r.errs
}

func readConnection(r *propReader, m resource.PropertyMap, path string) connection {
	return connection{
		Host:               r.str(m, "host", path+".host"),
		Port:               r.integer(m, "port", path+".port", defaultPort),
		User:               orDefault(r.str(m, "user", path+".user"), defaultUser),
		Password:           r.str(m, "password", path+".password"),
		PrivateKey:         r.str(m, "privateKey", path+".privateKey"),
		PrivateKeyPassword: r.str(m, "privateKeyPassword", path+".privateKeyPassword"),
		AgentSocketPath:    r.str(m, "agentSocketPath", path+".agentSocketPath"),
		DialErrorLimit:     r.integer(m, "dialErrorLimit", path+".dialErrorLimit", defaultDialErrorLimit),
		PerDialTimeout:     r.integer(m, "perDialTimeout", path+".perDialTimeout", defaultPerDialTimeout),
		HostKey:            r.str(m, "hostKey", path+".hostKey"),
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
