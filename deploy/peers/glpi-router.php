<?php
// deploy/peers.sh serves GLPI 10's public/ folder with PHP's built-in server. Every request goes
// through public/index.php, as Apache's rewrite rule does in production. The built-in server gives a
// router the whole request path as SCRIPT_NAME, from which index.php would compute a wrong base
// path (and refuse /apirest.php/...): present the request as Apache does.
$front = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $front;
require $front;
